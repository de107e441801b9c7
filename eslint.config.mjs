import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next/**", ".next-*/**", ".data/**", "lib/db/generated/**", "scripts/prisma-cli/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // The house rule (DESIGN.md): components never reach the database.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*"], message: "components/ never imports lib/db" }] }],
    },
  },
];

export default config;
