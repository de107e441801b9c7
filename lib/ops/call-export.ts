import { z } from "zod";
import type { Db } from "../db";
import { toCsv } from "../http/csv";

/** The longest range one export may cover: a quarter, so a request cannot ask the database for years. */
export const MAX_EXPORT_DAYS = 92;
const PAGE_ROWS = 1_000;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD") // Round-trips, so 2027-02-30 (which Date.parse rolls over into March) is refused.
  .refine(
    (s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "must be a real date",
  );

/** `from` and `to` (inclusive) as UTC dates; at most MAX_EXPORT_DAYS days, `to` not before `from`. */
export const exportRange = z
  .object({ from: day, to: day })
  .transform(({ from, to }) => ({
    from: new Date(`${from}T00:00:00Z`),
    to: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000),
  }))
  .refine((r) => r.to > r.from, { message: "to must not be before from", path: ["to"] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_EXPORT_DAYS * 86_400_000, {
    message: `at most ${MAX_EXPORT_DAYS} days`,
    path: ["to"],
  });

export type ExportRange = z.infer<typeof exportRange>;

type Row = {
  at: Date;
  request_id: string;
  source: string;
  key_name: string | null;
  key_prefix: string | null;
  model: string;
  kind: string | null;
  prompts: number | null;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  fee_minor: bigint | null;
  currency: string | null;
};

export const EXPORT_HEADER = [
  "time",
  "key",
  "model",
  "kind",
  "prompts",
  "input_tokens",
  "output_tokens",
  "cached_tokens",
  "cost_minor",
  "currency",
  "source",
];

/**
 * One page of a user's calls after `after`, both kinds in time order: the
 * coding plan's (usage reports: a prompt or a continuation of one, QUOTA-1,
 * and the prompts it spent) and the pay-as-you-go API's (billed calls, BILL-1,
 * with their fee). Keyset pagination on (time, source, request id): each
 * page is an index range scan, however deep into the export it is.
 */
export async function callsPage(
  database: Db,
  userId: string,
  range: ExportRange,
  after: { at: Date; source: string; requestId: string } | null,
  limit = PAGE_ROWS,
): Promise<Row[]> {
  const a = after ?? { at: range.from, source: "", requestId: "" };
  return database.$queryRaw<Row[]>`
    SELECT * FROM (
      (SELECT r.at, r.request_id, 'plan' AS source, k.name AS key_name, k.prefix AS key_prefix, r.model,
              CASE WHEN r.prompt_id = r.request_id THEN 'prompt' ELSE 'continuation' END AS kind,
              q.units AS prompts, r.input_tokens, r.output_tokens, r.cached_tokens, NULL::bigint AS fee_minor, NULL::text AS currency
       FROM usage_reports r
       JOIN subscriptions s ON s.id = r.subscription_id AND s.user_id = ${userId}::uuid
       LEFT JOIN api_keys k ON k.id = r.key_id
       LEFT JOIN quota_uses q ON q.subscription_id = r.subscription_id AND q.request_id = r.request_id
       WHERE r.at >= ${a.at} AND r.at < ${range.to} AND (r.at, 'plan', r.request_id) > (${a.at}, ${a.source}, ${a.requestId})
       ORDER BY r.at, r.request_id LIMIT ${limit})
      UNION ALL
      (SELECT c.at, c.request_id, 'payg', k.name, k.prefix, c.model, NULL, NULL, c.input_tokens, c.output_tokens, c.cached_tokens, c.fee_minor, c.currency
       FROM api_calls c LEFT JOIN api_keys k ON k.id = c.key_id
       WHERE c.user_id = ${userId}::uuid AND c.at >= ${a.at} AND c.at < ${range.to} AND (c.at, 'payg', c.request_id) > (${a.at}, ${a.source}, ${a.requestId})
       ORDER BY c.at, c.request_id LIMIT ${limit})
    ) calls ORDER BY at, source, request_id LIMIT ${limit}`;
}

function csvRows(rows: Row[]): string {
  return toCsv(
    EXPORT_HEADER,
    rows.map((r) => [
      r.at.toISOString(),
      r.key_name === null ? null : `${r.key_name} (${r.key_prefix})`,
      r.model,
      r.kind,
      r.prompts,
      r.input_tokens,
      r.output_tokens,
      r.cached_tokens,
      r.fee_minor === null ? null : r.fee_minor.toString(),
      r.currency,
      r.source,
    ]),
  ).replace(/^[^\r\n]*\r\n/, "");
}

/**
 * The CSV of a user's calls in `range`, as a stream: a page is read from the
 * database only when the reader wants more (pull), so a month of a heavy
 * user's calls never sits in memory at once, and a client that stops reading
 * stops the queries. `onPage` hears each page's size (the tests count them).
 */
export function callsCsvStream(
  database: Db,
  userId: string,
  range: ExportRange,
  opts: { pageRows?: number; onPage?: (rows: number) => void } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { at: Date; source: string; requestId: string } | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(EXPORT_HEADER.join(",") + "\r\n"));
          return;
        }
        const rows = await callsPage(database, userId, range, after, opts.pageRows ?? PAGE_ROWS);
        opts.onPage?.(rows.length);
        if (rows.length === 0) return controller.close();
        const last = rows[rows.length - 1];
        after = { at: last.at, source: last.source, requestId: last.request_id };
        controller.enqueue(encoder.encode(csvRows(rows)));
        if (rows.length < (opts.pageRows ?? PAGE_ROWS)) controller.close();
      },
    },
    // Nothing is read ahead: one page at a time, when asked.
    { highWaterMark: 0 },
  );
}
