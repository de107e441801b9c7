import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu"] });
const p = await b.newPage({ baseURL: "http://localhost:3000", viewport: { width: 1000, height: 1400 } });
const email = `walk.${Date.now()}@example.com`;
await p.goto("/sign-up");
await p.getByLabel(/^Name/).fill("Walker");
await p.getByLabel(/^E-mail$/).fill(email);
await p.getByLabel(/^Password$/).fill("a long password 1");
await p.getByRole("button", { name: "Create account" }).click();
await p.waitForURL("**/dashboard");
await p.goto("/subscription/checkout?tier=pro&cycle=monthly");
await p.screenshot({ path: "/tmp/s1.png", fullPage: true });
await p.getByLabel("Card number").fill(process.env.CARD ?? "4242 4242 4242 4242");
await p.getByLabel(/^Expiry/).fill("12/30");
await p.getByLabel(/^Security code/).fill("123");
await p.getByRole("button", { name: "Save card" }).click();
await p.waitForLoadState("networkidle");
console.log("after save:", p.url());
await p.screenshot({ path: "/tmp/s2.png", fullPage: true });
if (p.url().includes("/3ds/")) {
  await p.getByRole("button", { name: /Complete authentication/ }).click();
  await p.waitForLoadState("networkidle");
  console.log("after 3ds:", p.url());
}
const btn = p.getByRole("button", { name: "Confirm and pay" });
await btn.click();
await p.waitForURL((u) => !u.toString().includes("checkout") || u.toString().includes("failed"), { timeout: 20000 }).catch(() => {});
console.log("after pay:", p.url());
if (p.url().includes("/3ds/")) {
  await p.screenshot({ path: "/tmp/s3ds.png", fullPage: true });
  await p.getByRole("button", { name: /Complete authentication/ }).click();
  await p.waitForURL("**/subscription?**", { timeout: 20000 });
  console.log("after 3ds:", p.url());
}
await p.screenshot({ path: "/tmp/s3.png", fullPage: true });
console.log(await p.locator("main").innerText());
await b.close();
