import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./tests/support/chromium";

// The system's Chromium when there is one, else the one npm brought (tests/support/chromium.ts).
const browser = await findChromium();
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
export const E2E_PG_PORT = Number(process.env.E2E_PG_PORT ?? 54331);
const launchOptions = {
  executablePath: browser.executablePath,
  args: CHROMIUM_ARGS,
  env: browser.env && { ...process.env, ...browser.env },
};

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { baseURL, trace: "retain-on-failure", launchOptions },
  projects: [
    {
      name: "desktop",
      testIgnore: /clock\.spec|security-sweep\.spec/,
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    // Phone width: the journeys tagged @phone run again at 390 px.
    {
      name: "phone",
      testIgnore: /clock\.spec|security-sweep\.spec/,
      grep: /@phone/,
      use: { ...devices["Pixel 7"], launchOptions },
    },
    // Moving the clock would expire other journeys' links mid-flight, so these run last.
    {
      name: "clock",
      testMatch: /(^|\/)clock\.spec/,
      dependencies: ["desktop", "phone"],
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    // The billing lifecycle moves the clock by days and checks what that does, so nothing else may move it meanwhile.
    {
      name: "billing-clock",
      testMatch: /billing-clock\.spec/,
      dependencies: ["clock"],
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    // The security sweep checks that no row changes while it attacks, so it runs when no other journey is writing (tests/security).
    {
      name: "security",
      testMatch: /security-sweep\.spec/,
      dependencies: ["billing-clock"],
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
  ],
  webServer: {
    // The real start path, on its own port, data directory and build folder.
    command: "npx tsx scripts/start.ts --fresh",
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      DECISION_PORT: String(PORT + 1),
      APP_ENV: "test",
      // As behind one proxy of the operator's: tests write X-Forwarded-For as that proxy would (tests/e2e/networks.spec.ts).
      TRUSTED_PROXY_HOPS: "1",
      // Every journey signs up from this one machine: more than a real network would in an hour (SEC-2's limit is a setting).
      MAIL_NETWORK_LIMIT_PER_HOUR: "100000",
      // Overridable so two runs can share a checkout (each with its own ports too).
      CODEPLAN_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
      EMBEDDED_PG_PORT: String(E2E_PG_PORT),
      NEXT_DIST_DIR: process.env.E2E_DIST_DIR ?? ".next-e2e",
      NEXTAUTH_URL: baseURL,
      DATABASE_URL: "",
      SMTP_URL: "",
      // Renewals due after a clock move are picked up within a second.
      JOB_SWEEP_SECONDS: "1",
      // Its own local Stripe server, apart from a development app on the default port.
      STRIPE_LOCAL_PORT: String(process.env.E2E_STRIPE_PORT ?? 54341),
    },
  },
});
