import { expect, test } from "@playwright/test";

// public/ holds the static assets the layout names: the icon and the social image.
test.describe("static assets", () => {
  test("every page links the icon and the social image from public/, and both are served @phone", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/pricing");
    const icon = await page.locator('head link[rel="icon"]').getAttribute("href");
    const image = await page.locator('head meta[property="og:image"]').getAttribute("content");
    expect(icon).toBe("/icon.svg");
    expect(image).toBe(`${baseURL}/og.png`);
    const [svg, png] = await Promise.all([page.request.get("/icon.svg"), page.request.get("/og.png")]);
    expect(svg.status()).toBe(200);
    expect(svg.headers()["content-type"]).toContain("image/svg+xml");
    expect(png.status()).toBe(200);
    expect(png.headers()["content-type"]).toBe("image/png");
  });
});
