import Anthropic from "@anthropic-ai/sdk";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { anthropicLoop, openaiLoop } from "../support/agent-loops";
import { expectAccessible, expectNoPageOverflow } from "./helpers";
import { createKeyOnPage, newLiteSubscriber } from "./quota-helpers";

/**
 * The official SDKs, unmodified, pointed at the running production build (the
 * app `npm start` serves), with a key made on the keys screen: what a coding
 * tool does. The integration tests pin every field; this proves the real
 * server, streaming included, speaks to them.
 */
test("QUOTA-1/5: the openai and @anthropic-ai/sdk packages work against the running app; GLM-5 on Lite is refused with 1311", async ({
  page,
  browser,
  baseURL,
}) => {
  await newLiteSubscriber(page, browser, "sdk");
  const key = await createKeyOnPage(page, "sdk laptop");

  const openai = new OpenAI({ apiKey: key, baseURL: `${baseURL}/api/coding/paas/v4`, maxRetries: 0 });
  const answer = await openai.chat.completions.create({
    model: "glm-4.7",
    messages: [{ role: "user", content: "ping from openai" }],
  });
  expect(answer.choices[0].message.content).toContain("ping from openai");
  let streamed = "";
  for await (const chunk of await openai.chat.completions.create({
    model: "glm-4.7",
    messages: [{ role: "user", content: "stream from openai" }],
    stream: true,
  })) {
    streamed += chunk.choices[0]?.delta?.content ?? "";
  }
  expect(streamed).toContain("stream from openai");
  expect((await openai.models.list()).data.map((m) => m.id)).not.toContain("glm-5");
  const refused = await openai.chat.completions
    .create({ model: "glm-5", messages: [{ role: "user", content: "hi" }] })
    .catch((e) => e);
  expect([refused.status, refused.code]).toEqual([400, "1311"]);

  const anthropic = new Anthropic({ apiKey: key, baseURL: `${baseURL}/api/anthropic`, maxRetries: 0 });
  const message = await anthropic.messages.create({
    model: "glm-4.7",
    max_tokens: 100,
    messages: [{ role: "user", content: "ping from anthropic" }],
  });
  expect(message.content[0].type === "text" && message.content[0].text).toContain("ping from anthropic");
  const final = await anthropic.messages
    .stream({ model: "glm-4.7", max_tokens: 100, messages: [{ role: "user", content: "stream from anthropic" }] })
    .finalMessage();
  expect(final.content[0].type === "text" && final.content[0].text).toContain("stream from anthropic");

  // Four prompts spent, as the usage read-out a status line polls says.
  const limit = await (
    await fetch(`${baseURL}/api/monitor/usage/quota/limit`, { headers: { authorization: key } })
  ).json();
  expect(limit).toMatchObject({ code: 200, success: true, data: { level: "lite" } });
  expect(limit.data.limits[0]).toMatchObject({
    unit: 3,
    number: 5,
    usage: 80,
    currentValue: 4,
    remaining: 76,
    percentage: 5,
  });
});

test("QUOTA-1, GATE-1: a coding agent's tool loop against the running app spends one prompt, and /usage lists it with its model calls, in English and Chinese @phone", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await newLiteSubscriber(page, browser, "agent");
  const key = await createKeyOnPage(page, "agent laptop");
  // The local responder calls the tool the prompt names, once, then answers from its result.
  const anthropic = new Anthropic({ apiKey: key, baseURL: `${baseURL}/api/anthropic`, maxRetries: 0 });
  const loop = await anthropicLoop(anthropic, {
    model: "glm-4.7",
    stream: true,
    prompt: "Use read_file to read README.md and summarise it.",
  });
  expect(loop.calls).toBe(2);
  expect(loop.text).toContain("# CodePlan");
  const openai = new OpenAI({ apiKey: key, baseURL: `${baseURL}/api/coding/paas/v4`, maxRetries: 0 });
  expect(
    (await openaiLoop(openai, { model: "glm-4.7", stream: false, prompt: "Use read_file to read package.json." }))
      .calls,
  ).toBe(2);

  const limit = await (
    await fetch(`${baseURL}/api/monitor/usage/quota/limit`, { headers: { authorization: key } })
  ).json();
  expect(limit.data.limits[0]).toMatchObject({ unit: 3, number: 5, usage: 80, currentValue: 2 });

  await page.goto("/usage");
  const prompts = page.getByRole("table", { name: "Recent prompts" });
  await expect(prompts.getByRole("row")).toHaveCount(3);
  await expect(prompts.getByRole("columnheader")).toHaveText(["Started", "Model", "Model calls", "Tokens"]);
  for (const row of await prompts
    .getByRole("row")
    .filter({ hasNot: page.getByRole("columnheader") })
    .all()) {
    await expect(row.getByRole("cell").nth(1)).toHaveText("glm-4.7");
    await expect(row.getByRole("cell").nth(2)).toHaveText("2");
  }
  await expectNoPageOverflow(page);
  // The table fits its card at phone width too (no sideways scrolling inside it).
  expect(await prompts.evaluate((table) => table.scrollWidth <= table.parentElement!.clientWidth)).toBe(true);
  await expectAccessible(page);
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByRole("table", { name: "最近的提问" }).getByRole("columnheader")).toHaveText([
    "开始时间",
    "模型",
    "模型调用次数",
    "Token 数",
  ]);
  await expectAccessible(page);
});
