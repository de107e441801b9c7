import type pg from "pg";
import { outcomeOf, post, postRetrying, type Told } from "./client";
import type { Rng } from "./prng";

/**
 * The run's mixed load: each operation is what a customer, an admin or a
 * coding tool does, sent to the process that serves it in production, with
 * what the client was told recorded by kind and outcome.
 */
export type World = {
  actions: string;
  web: string;
  decisions: string;
  stripe: string;
  gatewaySecret: string;
  db: pg.Pool;
  adminId: string;
  rng: Rng;
  users: User[];
  /** The two subscribers the hot consumers hammer, so windows fill up to their limits. */
  hot: User[];
  record: (kind: string, outcome: string) => void;
  allowed: string[];
  paid: string[];
};

export type User = { id: string; email: string; secret: string; card: string | null };

const CARDS = { visa: "4242424242424242", threeDs: "4000002760003184", declined: "4000000000000002" } as const;

const TOOLS = [
  {
    type: "function",
    function: {
      name: "run_tests",
      description: "Runs the tests.",
      parameters: { type: "object", properties: { command: { type: "string" } } },
    },
  },
];
const START = [
  { role: "system", content: "You are a coding agent." },
  { role: "user", content: "Run the tests." },
];

async function act(w: World, op: string, body: Record<string, string>): Promise<Told> {
  return postRetrying(`${w.actions}/${op}`, body);
}

/** Answers a 3-D Secure challenge as the customer would on the bank's page (mostly yes). */
async function authenticate(w: World, actionUrl: string, kind: string) {
  const id = /\/3ds\/([^/?]+)/.exec(actionUrl)?.[1];
  if (!id) return w.record(kind, "3DS: no challenge");
  const yes = w.rng.chance(0.85);
  const res = await fetch(`${w.stripe}/3ds/${id}/complete`, {
    method: "POST",
    body: `result=${yes ? "succeed" : "fail"}`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  }).catch(() => null);
  w.record(`${kind} 3DS`, res ? (yes ? "authenticated" : "declined by customer") : "no answer");
}

async function payment(w: World, kind: string, told: Told) {
  const outcome = outcomeOf(told);
  w.record(kind, outcome);
  if ("error" in told || told.status !== 200) return;
  if (told.body.status === "paid" && typeof told.body.invoiceId === "string") w.paid.push(told.body.invoiceId);
  if (told.body.status === "requires_action") await authenticate(w, String(told.body.actionUrl), kind);
}

export async function signUp(w: World) {
  const email = `chaos-${w.rng.uuid()}@example.test`;
  const inviter = w.users.length && w.rng.chance(0.4) ? w.rng.pick(w.users) : undefined;
  const told = await act(w, "signUp", {
    email,
    inviterId: inviter?.id ?? "",
    ip: `10.${w.rng.int(250)}.${w.rng.int(250)}.${1 + w.rng.int(250)}`,
    device: w.rng.uuid().replaceAll("-", ""),
  });
  w.record(inviter ? "sign-up (invited)" : "sign-up", outcomeOf(told));
  if ("error" in told || told.status !== 200 || !told.body.secret) return;
  const user: User = { id: String(told.body.userId), email, secret: String(told.body.secret), card: null };
  const card = w.rng.next() < 0.6 ? CARDS.visa : w.rng.chance(0.5) ? CARDS.threeDs : CARDS.declined;
  const saved = await act(w, "saveCard", { userId: user.id, email, number: card, requestId: w.rng.uuid() });
  w.record("save card", outcomeOf(saved));
  if (!("error" in saved) && saved.body.status === "requires_action")
    await authenticate(w, String(saved.body.actionUrl), "save card");
  user.card = card;
  w.users.push(user);
}

async function liveTier(w: World, userId: string): Promise<string | null> {
  const { rows } = await w.db.query(
    `SELECT "tier"::text FROM "subscriptions" WHERE "user_id" = $1 AND "status" <> 'expired' LIMIT 1`,
    [userId],
  );
  return rows[0]?.tier ?? null;
}

export async function subscribe(w: World, user: User, tier: string) {
  await payment(
    w,
    "subscribe",
    await act(w, "subscribe", { userId: user.id, tier, cycle: "monthly", requestId: w.rng.uuid() }),
  );
}

export async function subscribeOrUpgrade(w: World) {
  const user = w.rng.pick(w.users);
  const tier = await liveTier(w, user.id).catch(() => undefined);
  if (tier === undefined) return w.record("subscribe", "skipped (database down)");
  const requestId = w.rng.uuid();
  if (!tier)
    return payment(
      w,
      "subscribe",
      await act(w, "subscribe", { userId: user.id, tier: w.rng.pick(["lite", "pro"]), cycle: "monthly", requestId }),
    );
  if (tier === "max")
    return payment(
      w,
      "top-up",
      await act(w, "topUp", { userId: user.id, amountMinor: String(500 + w.rng.int(2500)), requestId }),
    );
  await payment(
    w,
    "upgrade",
    await act(w, "upgrade", { userId: user.id, tier: tier === "lite" ? "pro" : "max", cycle: "monthly", requestId }),
  );
}

export async function topUp(w: World) {
  const user = w.rng.pick(w.users);
  await payment(
    w,
    "top-up",
    await act(w, "topUp", { userId: user.id, amountMinor: String(500 + w.rng.int(2500)), requestId: w.rng.uuid() }),
  );
}

export async function refund(w: World) {
  const user = w.rng.pick(w.users);
  w.record("refund", outcomeOf(await act(w, "refund", { userId: user.id, adminId: w.adminId })));
}

const streamed = (told: Told) => (!("error" in told) && typeof told.body.stream === "string" ? told.body.stream : "");

/** A coding tool's turn: a prompt that gets a tool call, then the tool's result (QUOTA-1: one prompt), on the web app or the decision server. */
export async function codingLoop(w: World) {
  const user = w.rng.pick(w.users);
  const base = w.rng.chance(0.5) ? w.web : w.decisions;
  const headers = { authorization: `Bearer ${user.secret}` };
  const request = { model: "glm-4.7", stream: true, stream_options: { include_usage: true }, tools: TOOLS };
  const first = await post(`${base}/api/coding/paas/v4/chat/completions`, { ...request, messages: START }, headers);
  w.record("coding prompt", outcomeOf(first));
  const call = /"id":"(call_[^"]+)"/.exec(streamed(first))?.[1];
  if (!call) return;
  const messages = [
    ...START,
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: call, type: "function", function: { name: "run_tests", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: call, content: "ok" },
  ];
  w.record(
    "coding tool result",
    outcomeOf(await post(`${base}/api/coding/paas/v4/chat/completions`, { ...request, messages }, headers)),
  );
}

export async function paygCall(w: World) {
  const user = w.rng.pick(w.users);
  const base = w.rng.chance(0.5) ? w.web : w.decisions;
  const told = await post(
    `${base}/api/paas/v4/chat/completions`,
    { model: "glm-4.7", stream: true, stream_options: { include_usage: true }, max_tokens: 200, messages: START },
    { authorization: `Bearer ${user.secret}` },
  );
  w.record("pay-as-you-go call", outcomeOf(told));
}

/** A gateway's consume decision with its own request id: an "allowed" answer must be recorded exactly once. */
export async function consume(w: World, user: User, kind = "consume decision") {
  const requestId = `chaos-${w.rng.uuid()}`;
  const told = await postRetrying(
    `${w.decisions}/api/gateway/v1/consume`,
    { key: user.secret, model: "glm-4.7", kind: "prompt", requestId },
    { authorization: `Bearer ${w.gatewaySecret}` },
    3,
  );
  if (!("error" in told) && told.status === 200 && told.body.allowed === true) {
    w.allowed.push(requestId);
    w.record(kind, "allowed");
  } else if (!("error" in told) && told.status === 200)
    w.record(
      kind,
      `refused ${String((told.body.refusal as { code?: string } | undefined)?.code ?? told.body.code ?? "")}`.trim(),
    );
  else w.record(kind, outcomeOf(told));
}
