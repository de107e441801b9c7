import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type Browser = {
  executablePath: string;
  env?: Record<string, string>;
  source: "CHROMIUM_PATH" | "system" | "npm";
};

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/**
 * The Chromium the browser tests drive (Playwright's own download cannot run
 * offline): CHROMIUM_PATH when set, else the system's /usr/bin/chromium, else
 * the one npm brought (@sparticuz/chromium, unpacked on first use), so
 * `npm install && npm test` needs no system package. CODEPLAN_NPM_CHROMIUM=1
 * takes the npm one even when the system has its own.
 */
export async function findChromium(): Promise<Browser> {
  const own = process.env.CHROMIUM_PATH;
  if (own) {
    if (!existsSync(own))
      throw new Error(`CHROMIUM_PATH=${own} does not exist: point it at a Chromium or Chrome binary, or unset it`);
    return { executablePath: own, source: "CHROMIUM_PATH" };
  }
  if (process.env.CODEPLAN_NPM_CHROMIUM !== "1" && existsSync(SYSTEM_CHROMIUM))
    return { executablePath: SYSTEM_CHROMIUM, source: "system" };
  const { default: chromium } = await import("@sparticuz/chromium");
  const executablePath = await chromium.executablePath();
  return {
    executablePath,
    source: "npm",
    env: { FONTCONFIG_FILE: fontConfig(path.join(path.dirname(executablePath), "fonts")) },
  };
}

/**
 * A fontconfig file for the npm Chromium: only fonts from npm, the same on any
 * machine: the Latin ones the package unpacks and Noto Sans SC
 * (@embedpdf/fonts-sc), so Chinese text renders rather than as empty boxes.
 */
function fontConfig(unpackedFonts: string): string {
  // The package exports only its index (dist/): its fonts are beside that folder.
  const cjk = path.join(path.dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
  const dir = path.join(process.cwd(), ".data", "chromium");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "fonts.conf");
  const dirs = [unpackedFonts, cjk].map((d) => `  <dir>${d}</dir>`).join("\n");
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${dirs}\n  <cachedir>${path.join(dir, "fontconfig-cache")}</cachedir>\n</fontconfig>\n`,
  );
  return file;
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
