/**
 * CONNECT-1: copy-ready settings for the common coding tools, for one
 * deployment and one tier. Pure: the origin comes from the configured public
 * URL (never from a request header a client can write) and the models from
 * the plan catalog, so the screen and its tests agree on every string.
 */
export type ToolId =
  "claude-code" | "cline" | "opencode" | "kilo-code" | "roo-code" | "crush" | "goose" | "openai-sdk" | "anthropic-sdk";
export type ToolSettings = {
  id: ToolId;
  name: string;
  wire: "anthropic" | "openai";
  /** Where the settings go: environment variables, a config file, or the tool's provider form. */
  place: "env" | "file" | "form" | "code";
  /** The config file's name, when place is "file". */
  file?: string;
  snippet: string;
};

export type ConnectBase = { anthropic: string; openai: string };

/** The coding-plan endpoints' base URLs as the clients take them (COMPAT.md, "Model endpoints"). */
export function baseUrls(origin: string): ConnectBase {
  const o = origin.replace(/\/+$/, "");
  return { anthropic: `${o}/api/anthropic`, openai: `${o}/api/coding/paas/v4` };
}

/** The placeholder shown where the secret goes: keys are shown once, on /keys, and never again. */
export const KEY_PLACEHOLDER = "YOUR_CODEPLAN_KEY";

export function toolSettings(base: ConnectBase, models: string[]): ToolSettings[] {
  const main = models[0];
  // A smaller model for the tools' background calls (titles, summaries) when the tier has one.
  const small = models.find((m) => m.endsWith("-air")) ?? main;
  const openaiForm = (extra = "") =>
    [
      `API Provider: OpenAI Compatible`,
      `Base URL: ${base.openai}`,
      `API Key: ${KEY_PLACEHOLDER}`,
      `Model ID: ${main}`,
      extra,
    ]
      .filter(Boolean)
      .join("\n");
  return [
    {
      id: "claude-code",
      name: "Claude Code",
      wire: "anthropic",
      place: "env",
      snippet: [
        `export ANTHROPIC_BASE_URL=${base.anthropic}`,
        `export ANTHROPIC_AUTH_TOKEN=${KEY_PLACEHOLDER}`,
        `export ANTHROPIC_MODEL=${main}`,
        `export ANTHROPIC_DEFAULT_OPUS_MODEL=${main}`,
        `export ANTHROPIC_DEFAULT_SONNET_MODEL=${main}`,
        `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${small}`,
        `claude`,
      ].join("\n"),
    },
    { id: "cline", name: "Cline", wire: "openai", place: "form", snippet: openaiForm() },
    {
      id: "opencode",
      name: "OpenCode",
      wire: "openai",
      place: "file",
      file: "opencode.json",
      snippet: JSON.stringify(
        {
          $schema: "https://opencode.ai/config.json",
          provider: {
            codeplan: {
              npm: "@ai-sdk/openai-compatible",
              name: "CodePlan",
              options: { baseURL: base.openai, apiKey: `{env:CODEPLAN_API_KEY}` },
              models: Object.fromEntries(models.map((m) => [m, {}])),
            },
          },
          model: `codeplan/${main}`,
          small_model: `codeplan/${small}`,
        },
        null,
        2,
      ),
    },
    { id: "kilo-code", name: "Kilo Code", wire: "openai", place: "form", snippet: openaiForm() },
    { id: "roo-code", name: "Roo Code", wire: "openai", place: "form", snippet: openaiForm() },
    {
      id: "crush",
      name: "Crush",
      wire: "openai",
      place: "file",
      file: "crush.json",
      snippet: JSON.stringify(
        {
          $schema: "https://charm.land/crush.json",
          providers: {
            codeplan: {
              type: "openai",
              base_url: base.openai,
              api_key: "$CODEPLAN_API_KEY",
              models: models.map((m) => ({ id: m, name: m })),
            },
          },
        },
        null,
        2,
      ),
    },
    {
      id: "goose",
      name: "Goose",
      wire: "openai",
      place: "env",
      snippet: [
        `export GOOSE_PROVIDER=openai`,
        `export OPENAI_HOST=${new URL(base.openai).origin}`,
        `export OPENAI_BASE_PATH=${new URL(base.openai).pathname.replace(/^\//, "")}/chat/completions`,
        `export OPENAI_API_KEY=${KEY_PLACEHOLDER}`,
        `export GOOSE_MODEL=${main}`,
        `goose session`,
      ].join("\n"),
    },
    {
      id: "openai-sdk",
      name: "OpenAI SDK",
      wire: "openai",
      place: "code",
      snippet: [
        `import OpenAI from "openai";`,
        ``,
        `// OPENAI_API_KEY=${KEY_PLACEHOLDER}`,
        `const client = new OpenAI({ baseURL: "${base.openai}", apiKey: process.env.OPENAI_API_KEY });`,
        `const r = await client.chat.completions.create({ model: "${main}", messages: [{ role: "user", content: "Hello" }] });`,
      ].join("\n"),
    },
    {
      id: "anthropic-sdk",
      name: "Anthropic SDK",
      wire: "anthropic",
      place: "code",
      snippet: [
        `import Anthropic from "@anthropic-ai/sdk";`,
        ``,
        `// ANTHROPIC_API_KEY=${KEY_PLACEHOLDER}`,
        `const client = new Anthropic({ baseURL: "${base.anthropic}", apiKey: process.env.ANTHROPIC_API_KEY });`,
        `const m = await client.messages.create({ model: "${main}", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }] });`,
      ].join("\n"),
    },
  ];
}
