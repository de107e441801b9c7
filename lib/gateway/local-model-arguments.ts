import type { OfferedTool } from "./local-model-request";
import { isJsonObject, type Json } from "./wire";

/**
 * How the local model picks a tool and fills in its arguments. It has no
 * judgement, so it calls a tool only when the user names one, and takes the
 * arguments from the prompt's words as the tool's JSON schema asks for them:
 * enough for a coding agent's loop to run end to end, deterministically.
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A tool name as a whole word: `\b` would split names such as `web-reader` or `mcp__ide__run`. */
const wordPattern = (word: string) => new RegExp(`(?<![\\w-])${escapeRegExp(word)}(?![\\w-])`, "i");

/** The offered tool the text names first (case-insensitive, whole word), if any. */
export function namedTool(tools: OfferedTool[], text: string): OfferedTool | null {
  let found: { tool: OfferedTool; at: number } | null = null;
  for (const tool of tools) {
    const m = wordPattern(tool.name).exec(text);
    if (m && (!found || m.index < found.at)) found = { tool, at: m.index };
  }
  return found?.tool ?? null;
}

function explicitObject(prompt: string): Json | null {
  const start = prompt.indexOf("{");
  const end = prompt.lastIndexOf("}");
  if (start < 0 || end < start) return null;
  try {
    const parsed: unknown = JSON.parse(prompt.slice(start, end + 1));
    return isJsonObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

const tokens = (prompt: string) =>
  prompt
    .split(/\s+/)
    .map((t) => t.replace(/^[`"'([<{“‘「（]+/, "").replace(/[`"')\]}>,;:!?.”’」）。，；：！？、]+$/, ""))
    .filter(Boolean);

/** Backticked or quoted pieces first: they are explicit, and they delimit a path where no space does (as in CJK text). */
const candidates = (prompt: string) => [
  ...[...prompt.matchAll(/`([^`\s]+)`|"([^"\s]+)"/g)].map((m) => m[1] ?? m[2]),
  ...tokens(prompt),
];

/** Something with a `/` in it, or a file name with an extension (`notes.txt`, not `3.5`). */
const pathToken = (prompt: string) =>
  candidates(prompt).find((t) => t.includes("/") || /^[\w.-]*\w\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(t)) ?? null;

const urlToken = (prompt: string) => tokens(prompt).find((t) => /^[a-z][\w+.-]*:\/\/\S/i.test(t)) ?? null;

/** Backticked text, else what follows the first colon that ends a phrase ("run: ls -la"), not one inside `C:\` or `http:`. */
const commandText = (prompt: string) =>
  /`([^`]+)`/.exec(prompt)?.[1].trim() || /:\s+(\S[\s\S]*)$/.exec(prompt)?.[1].trim() || null;

const quoted = (prompt: string) => {
  const m = /"([^"]+)"|“([^”]+)”|`([^`]+)`|(?<!\w)'([^']+)'(?!\w)/.exec(prompt);
  return m ? (m[1] ?? m[2] ?? m[3] ?? m[4]) : null;
};

/** The words after the tool's name ("Use Grep to find TODO" → "to find TODO"), else the whole prompt. */
function afterName(prompt: string, toolName: string): string {
  const m = wordPattern(toolName).exec(prompt);
  const rest = m
    ? prompt
        .slice(m.index + m[0].length)
        .replace(/^\s*(tool\b)?[\s:,-]*/i, "")
        .trim()
    : "";
  return rest || prompt.trim();
}

function firstNumber(prompt: string): number | null {
  const m = /(?<![\w./-])-?\d+(?:\.\d+)?(?![\w./])/.exec(prompt);
  return m ? Number(m[0]) : null;
}

/** The schema's type: the first non-null of a list, or of an anyOf/oneOf; a bare enum or nothing reads as string. */
function typeOf(schema: Json): string {
  const list = Array.isArray(schema.type) ? schema.type : [schema.type];
  const t = list.find((x): x is string => typeof x === "string" && x !== "null");
  if (t) return t;
  const alternatives = [schema.anyOf, schema.oneOf].flatMap((a) => (Array.isArray(a) ? a.filter(isJsonObject) : []));
  return alternatives.length ? typeOf(alternatives[0]) : "string";
}

function stringFor(key: string, prompt: string, toolName: string): string {
  const fallback = () => quoted(prompt) ?? afterName(prompt, toolName);
  if (/path|file|dir/i.test(key)) return pathToken(prompt) ?? fallback();
  if (/url|uri|link/i.test(key)) return urlToken(prompt) ?? pathToken(prompt) ?? fallback();
  if (/command|cmd|script/i.test(key)) return commandText(prompt) ?? fallback();
  return fallback();
}

function valueFor(key: string, schema: Json, prompt: string, toolName: string): unknown {
  const choices = Array.isArray(schema.enum) ? schema.enum : [];
  if (choices.length) return choices.find((c) => typeof c === "string" && wordPattern(c).test(prompt)) ?? choices[0];
  switch (typeOf(schema)) {
    case "integer":
      return Math.trunc(firstNumber(prompt) ?? 1);
    case "number":
      return firstNumber(prompt) ?? 1;
    case "boolean":
      return false;
    case "array": {
      const items = isJsonObject(schema.items) ? schema.items : {};
      return typeOf(items) === "string" && /path|file|dir/i.test(key) && pathToken(prompt) ? [pathToken(prompt)] : [];
    }
    case "object":
      return {};
    default:
      return stringFor(key, prompt, toolName);
  }
}

/**
 * The call's arguments: a JSON object written in the prompt when there is
 * one that names a property of the tool (so that JSON inside a command, say
 * `echo '{"a":1}'`, stays part of the command), else a value for each
 * required property (or the first property when none is required) taken from
 * the prompt's words.
 */
export function toolArguments(tool: OfferedTool, quotedPrompt: string): Json {
  // Some agents (OpenCode) send the user's words wrapped in one pair of quotes: those quotes are not an argument.
  const prompt = /^\s*"[^]*"\s*$/.test(quotedPrompt) ? quotedPrompt.trim().slice(1, -1) : quotedPrompt;
  const properties = isJsonObject(tool.schema.properties) ? tool.schema.properties : {};
  const explicit = explicitObject(prompt);
  if (explicit && (!Object.keys(properties).length || Object.keys(explicit).some((k) => k in properties)))
    return explicit;
  const required = Array.isArray(tool.schema.required)
    ? tool.schema.required.filter((k): k is string => typeof k === "string")
    : [];
  const keys = required.length ? required : Object.keys(properties).slice(0, 1);
  return Object.fromEntries(
    keys.map((k) => [k, valueFor(k, isJsonObject(properties[k]) ? properties[k] : {}, prompt, tool.name)]),
  );
}
