import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// Everything that goes into `next build`. A change to any of these rebuilds.
const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "types",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const SKIP = new Set(["node_modules", "generated"]);

function* files(p: string): Generator<string> {
  if (!existsSync(p)) return;
  if (statSync(p).isFile()) return yield p;
  for (const e of readdirSync(p, { withFileTypes: true })) if (!SKIP.has(e.name)) yield* files(path.join(p, e.name));
}

/** A content hash of the build's inputs, so `npm start` skips an up-to-date build. */
export function buildFingerprint(extra: string[] = []): string {
  const h = createHash("sha256");
  for (const f of INPUTS.flatMap((i) => [...files(i)]).sort()) h.update(f).update(readFileSync(f));
  for (const x of extra) h.update(x);
  return h.digest("hex");
}

const stampFile = (distDir: string) => path.join(distDir, "codeplan-build-stamp");

export function isBuildCurrent(distDir: string, fingerprint: string) {
  return (
    existsSync(path.join(distDir, "BUILD_ID")) &&
    existsSync(stampFile(distDir)) &&
    readFileSync(stampFile(distDir), "utf8") === fingerprint
  );
}

export function markBuilt(distDir: string, fingerprint: string) {
  writeFileSync(stampFile(distDir), fingerprint);
}
