import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      ".data/**",
      "lib/db/generated/**",
      "scripts/prisma-cli/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    // The house rule (DESIGN.md): components never reach the database.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*"],
              message: "components/ never imports lib/db",
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycles (issue 21). eslint-plugin-import comes with eslint-config-next, which
    // registers it and its TypeScript resolver (so "@/..." paths count): no other tool to keep.
    // Type-only imports are left out: they vanish at run time.
    files: ["app/**", "components/**", "lib/**", "scripts/**", "proxy.ts", "instrumentation.ts"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Layers: app/ is the top; nothing below it imports from it (a component takes an action as a prop),
    // and app/ does not reach across its own tree by the "@/app" path (a route's siblings, "./actions", are fine).
    files: ["components/**", "lib/**", "app/**"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./components",
              from: "./app",
              message: "components/ never imports from app/: take the action as a prop",
            },
            { target: "./lib", from: "./app", message: "lib/ never imports from app/" },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app", "@/app/*"],
              message:
                'app/ does not import its own tree by "@/app": pass what a page needs down, or move it to lib/ or components/',
            },
          ],
        },
      ],
    },
  },
  {
    // app/ calls a context's public face (lib/<context>/face.ts), which owns its database handle (issue 21 item 2).
    files: ["app/**"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./app",
              from: "./lib/db",
              message: "app/ never imports lib/db: call the context's public face (lib/<context>)",
            },
          ],
        },
      ],
    },
  },
];

export default config;
