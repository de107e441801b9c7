import type { Json } from "../wire";
import { obj, str } from "./json-read";

/** Images and documents: Anthropic's `source` objects against OpenAI's data URLs. */

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** An Anthropic image block as an OpenAI image part; a file_id source has no OpenAI counterpart. */
export function toImagePart(block: Json): Json | undefined {
  const source = obj(block.source);
  if (source.type === "base64" && typeof source.data === "string") {
    return {
      type: "image_url",
      image_url: { url: `data:${str(source.media_type) ?? "image/png"};base64,${source.data}` },
    };
  }
  if (source.type === "url" && typeof source.url === "string")
    return { type: "image_url", image_url: { url: source.url } };
  return undefined;
}

/**
 * An Anthropic document block as an OpenAI part: plain-text and content
 * sources become text, a base64 PDF an OpenAI file part. URL and file_id
 * sources are left out (the OpenAI side cannot fetch them).
 */
export function toDocumentPart(block: Json): Json | undefined {
  const source = obj(block.source);
  if (source.type === "text" && typeof source.data === "string") return { type: "text", text: source.data };
  if (source.type === "content") {
    const text = typeof source.content === "string" ? source.content : textOfBlocks(source.content);
    return text ? { type: "text", text } : undefined;
  }
  if (source.type === "base64" && typeof source.data === "string") {
    const mediaType = str(source.media_type) ?? "application/pdf";
    return {
      type: "file",
      file: { filename: str(block.title) ?? "document.pdf", file_data: `data:${mediaType};base64,${source.data}` },
    };
  }
  return undefined;
}

/** An OpenAI image part as an Anthropic image block (data URL -> base64 source, http(s) URL -> url source). */
export function toImageBlock(part: Json): Json | undefined {
  const url = str(obj(part.image_url).url) ?? str(part.image_url);
  if (!url) return undefined;
  const data = DATA_URL.exec(url);
  if (data) return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  return undefined;
}

/** An OpenAI file part carrying a PDF as an Anthropic document block; file ids and other types have no counterpart. */
export function toDocumentBlock(part: Json): Json | undefined {
  const file = obj(part.file);
  const data = DATA_URL.exec(str(file.file_data) ?? "");
  if (!data || data[1] !== "application/pdf") return undefined;
  const title = str(file.filename);
  return {
    type: "document",
    source: { type: "base64", media_type: data[1], data: data[2] },
    ...(title ? { title } : {}),
  };
}

/** The text of a list of Anthropic text blocks (other blocks skipped). */
export function textOfBlocks(blocks: unknown): string {
  if (!Array.isArray(blocks)) return "";
  return blocks
    .map(obj)
    .flatMap((b) => (b.type === "text" && typeof b.text === "string" ? [b.text] : []))
    .join("\n\n");
}
