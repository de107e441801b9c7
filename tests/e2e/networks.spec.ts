import { expect, test } from "@playwright/test";
import { ADMIN, uniqueEmail } from "./helpers";

// The browser tests run the app with TRUSTED_PROXY_HOPS=1 (playwright.config.ts), as behind one proxy of the
// operator's: that proxy appends the address it saw to X-Forwarded-For, and a client writes whatever it likes
// to the left of it. A request that names no address comes from this machine (the socket's, loopback).
const viaProxy = (clientWrote: string, proxySaw: string) => ({ "x-forwarded-for": `${clientWrote}, ${proxySaw}` });

test.describe("networks are not what the client says (SEC-2, SEC-4)", () => {
  test("SEC-2: wrong passwords with a new X-Forwarded-For each are throttled from the sixth, like a fixed one", async ({
    page,
  }) => {
    const email = uniqueEmail("rotated");
    await page.goto("/sign-in");
    for (let i = 0; i < 6; i++) {
      await page.setExtraHTTPHeaders(viaProxy(`203.0.113.${i}`, "198.51.100.77"));
      await page.getByLabel("E-mail").first().fill(email);
      await page.getByLabel("Password").fill("wrong password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.locator("#sign-in-error")).toHaveText(
        i < 5 ? "The e-mail or password is not right." : /Too many failed sign-ins/,
      );
    }
  });

  test("SEC-4: the development mailbox and the demo accounts answer only on loopback", async ({ browser, request }) => {
    const elsewhere = await browser.newContext({ extraHTTPHeaders: viaProxy("127.0.0.1", "203.0.113.50") });
    const page = await elsewhere.newPage();
    expect((await page.goto("/dev/mailbox"))?.status()).toBe(404);
    // The published demo admin password does not work from elsewhere (the local model: tests/integration/gateway-failures.test.ts).
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").first().fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    await elsewhere.close();

    // From this machine all of them answer.
    expect((await request.get("/dev/mailbox")).status()).toBe(200);
  });
});
