import type { IncomingMessage, ServerResponse } from "node:http";
import limits from "../../lib/http/body-limits.json" with { type: "json" };

/** The bound on a server action's body; next.config.js gives Next the same (`serverActions.bodySizeLimit`). */
export const ACTION_BODY_LIMIT = limits.serverActionBytes;

/**
 * Answers 413 to a server action call whose declared body is over Next's
 * limit, before any of it is read (SEC-3). Left to Next, it reads up to the
 * limit and then answers 500 (its action handler turns the limit's error
 * into a server error), and for /admin its proxy reads ten megabytes first.
 * What the client still sends after the answer is discarded as it comes (as
 * Node does for every early answer), never kept; closing at once instead
 * would reset the connection before many clients read the 413. A body
 * without a declared length still meets Next's own limit.
 */
export function refuseOversizedAction(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "POST" || !req.headers["next-action"]) return false;
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (!(declared > ACTION_BODY_LIMIT)) return false;
  res.writeHead(413, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      error: { code: "payload_too_large", message: `A form may send at most ${ACTION_BODY_LIMIT / 1024} KB.` },
    }),
  );
  return true;
}
