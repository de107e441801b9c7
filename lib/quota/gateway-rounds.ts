import type pg from "pg";
import { jsonRows } from "../db/json-rows";
import { LaneBatcher } from "../db/lane-batcher";
import { consumeItem, type ConsumeParams } from "./batcher";

/**
 * The reference gateway's two writes around every model call — its admission
 * (gateway_admit: the slot and the decision or continuation) and its usage
 * report (which frees the slot) — batched together: what arrives in one turn
 * of the event loop, admissions and reports alike, goes in one round trip
 * and one commit (gateway_round), one lane per subscription (LaneBatcher).
 * Separate, each was a statement, a commit and a socket write of its own.
 */

export type AdmitItem = ConsumeParams & { slots: number; leaseUntil: Date; toolResultIds: string[]; since: Date };
export type AdmitRow = {
  slot: string;
  prompt_id: string | null;
  outcome: string | null;
  used_5h: number;
  oldest_5h: Date | null;
  week_used: number;
  month_used: number;
  key_oldest_5h: Date | null;
};

/** A usage report as the gateway writes it after a call (report.ts says what each field means). */
export type ReportItem = {
  sub: string;
  requestId: string;
  key: string;
  model: string;
  tool: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  at: Date;
  client: string | null;
  network: string | null;
  agentShaped: boolean | null;
  clientId: string | null;
  device: string | null;
  toolCallIds: readonly string[];
  slotOf: string | null;
};

type Item = { admit: AdmitItem; report?: never } | { report: ReportItem; admit?: never };
type Row = { k: "a" | "r"; i: number; first: boolean | null } & AdmitRow;

export type Submitter<I, O> = { submit: (item: I) => Promise<O> };

export class GatewayRounds {
  private readonly batcher: LaneBatcher<Item, Row>;
  readonly admissions: Submitter<AdmitItem, AdmitRow>;
  /** Answers whether the report was the first for its request id. */
  readonly reports: Submitter<ReportItem, boolean>;

  constructor(pool: pg.Pool, lanes: number) {
    this.batcher = new LaneBatcher<Item, Row>(
      lanes,
      (x) => (x.admit ? x.admit.sub : x.report.sub),
      async (batch) => {
        const admits: object[] = [];
        const reports: object[] = [];
        // Where each item's answer will be: its list and its index there.
        const places = batch.map((x) => {
          if (x.admit) {
            const p = x.admit;
            const i = admits.length;
            admits.push({
              ...consumeItem(p, i),
              sl: p.slots,
              lease: p.leaseUntil.toISOString(),
              ids: p.toolResultIds,
              since: p.since.toISOString(),
            });
            return `a${i}`;
          }
          const r = x.report;
          const n = reports.length;
          reports.push({
            n,
            s: r.sub,
            q: r.requestId,
            k: r.key,
            m: r.model,
            tool: r.tool,
            it: r.inputTokens,
            ot: r.outputTokens,
            ct: r.cachedTokens,
            cw: r.cacheWriteTokens,
            t: r.at,
            client: r.client,
            network: r.network,
            agent: r.agentShaped,
            cid: r.clientId,
            dev: r.device,
            ids: r.toolCallIds,
            slot: r.slotOf,
          });
          return `r${n}`;
        });
        const { rows } = await pool.query<Row>({
          name: "gateway_round",
          text: "SELECT * FROM gateway_round($1::jsonb, $2::jsonb)",
          values: [jsonRows(admits), jsonRows(reports)],
        });
        const byPlace = new Map(rows.map((r) => [`${r.k}${r.i}`, r]));
        return places.map((place) => {
          const row = byPlace.get(place);
          if (!row) throw new Error(`gateway_round did not answer ${place}`);
          return row;
        });
      },
    );
    this.admissions = { submit: (admit) => this.batcher.submit({ admit }) };
    this.reports = { submit: (report) => this.batcher.submit({ report }).then((r) => r.first === true) };
  }
}
