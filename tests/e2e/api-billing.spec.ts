import { expect, test } from "@playwright/test";
import { alerts, expectAccessible, expectNoPageOverflow, signUp, uniqueEmail } from "./helpers";
import { createKeyOnPage } from "./quota-helpers";

test.describe("pay-as-you-go", () => {
  test("BILL-3: a new user reads the packs on sale with price, value and validity, cannot buy one without a card, and the billing page says when consumption appears @phone", async ({
    page,
  }) => {
    await signUp(page, uniqueEmail("packs"));
    await page.goto("/wallet");
    await expect(page.getByTestId("packs-USD")).toHaveText("$0.00");
    const packs = page.getByRole("region", { name: "Resource packs" });
    for (const [id, name, price, value, days] of [
      ["starter", "Starter", "$10.00", "$10.00", 30],
      ["builder", "Builder", "$50.00", "$55.00", 90],
      ["team", "Team", "$200.00", "$240.00", 180],
    ] as const) {
      const offer = packs.getByTestId(`pack-offer-${id}`);
      await expect(offer.getByRole("heading")).toHaveText(name);
      await expect(offer).toContainText(`Price${price}`);
      await expect(offer).toContainText(`Value${value}`);
      await expect(offer).toContainText(`Valid for${days} days from payment`);
      await expect(offer.getByRole("button", { name: `Buy ${name}` })).toBeVisible();
    }
    await expect(packs).toContainText("You have no packs yet.");
    await expectNoPageOverflow(page);
    await expectAccessible(page);

    await packs.getByRole("button", { name: "Buy Builder" }).click();
    await expect(alerts(page)).toHaveText("Add a card in your wallet first. Nothing was charged.");
    await expect(page.getByTestId("packs-USD")).toHaveText("$0.00");
    await expectAccessible(page);

    await page.goto("/billing");
    const daily = page.getByRole("region", { name: "Daily API consumption" });
    await expect(daily.getByTestId("daily-intro")).toHaveText(
      "API calls, one row per day, model and what paid for them: a resource pack, your cash or credits, or your coding plan. Days run from midnight to midnight, UTC time. Today's consumption appears here tomorrow.",
    );
    await expect(daily.getByTestId("no-daily")).toBeVisible();
    await expectNoPageOverflow(page);
    await expectAccessible(page);
  });

  test("BILL-3: with no pack, cash or credits a pay-as-you-go call is refused with 1113", async ({ page, request }) => {
    await signUp(page, uniqueEmail("broke"));
    const secret = await createKeyOnPage(page, "no balance");
    const call = await request.post("/api/paas/v4/chat/completions", {
      headers: { authorization: `Bearer ${secret}` },
      data: { model: "glm-4.7", messages: [{ role: "user", content: "hi" }] },
    });
    expect(call.status()).toBe(429);
    expect((await call.json()).error.code).toBe("1113");
  });
});
