import { NextResponse } from "next/server";
import { appClock } from "../clock";
import { quotaContext } from "./context";
import { langOf, type Lang } from "./refusals";
import type { Envelope } from "./readouts";
import type { QuotaContext } from "./consume";

type Readout = (args: {
  ctx: QuotaContext;
  authorization: string | null;
  lang: Lang;
  now: Date;
  query: URLSearchParams;
}) => Promise<Envelope>;

/**
 * A GET route for one of COMPAT.md's read-outs. Always HTTP 200 with the
 * envelope, refusals included: that is what the existing clients parse.
 * Only a failure of our own answers 500.
 */
export function readoutRoute(readout: Readout) {
  return async (req: Request) => {
    const lang = langOf(req.headers.get("accept-language"));
    try {
      const envelope = await readout({
        ctx: quotaContext(),
        authorization: req.headers.get("authorization"),
        lang,
        now: await appClock().now(),
        query: new URL(req.url).searchParams,
      });
      return NextResponse.json(envelope, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      console.error("read-out failed", e);
      return NextResponse.json(
        {
          code: 500,
          msg: lang === "zh" ? "服务暂时不可用，请稍后重试" : "Something went wrong on our side. Please try again.",
          success: false,
        },
        { status: 500 },
      );
    }
  };
}
