import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Used only by scripts/lib/prisma6.ts: Prisma 6.19's CLI with its WebAssembly
// schema engine ("engine: js"), which works offline. PRISMA6_SCHEMA names a copy
// of prisma/schema.prisma with a `url` and no generator, as this CLI wants.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA6_SCHEMA!,
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
