import { createHash } from "node:crypto";

/**
 * What a call's caller looked like, for the usage-policy rules (POLICY-1, POLICY-3).
 * `clientId` and `device` are short hashes, never what the client sent: null when it sent nothing to tell them by.
 */
export type CallerSignals = {
  client: string;
  network: string;
  agentShaped: boolean;
  clientId?: string | null;
  device?: string | null;
};

/**
 * The client's own name for itself: the User-Agent's first product token,
 * lower-cased ("claude-cli/1.0.80 (external, cli)" → "claude-cli"), or ""
 * when it sent none.
 */
export function clientNameOf(userAgent: string | null | undefined): string {
  const first = (userAgent ?? "").trim().split(/\s+/)[0] ?? "";
  return first.split("/")[0].toLowerCase().slice(0, 60);
}

// Claude Code's metadata.user_id: `user_<installation hash>_account_<uuid>_session_<uuid>`.
const CLAUDE_CODE_USER = /^user_([A-Za-z0-9]{8,128})(?:_account_[^_]*)?(?:_session_([A-Za-z0-9-]{8,64}))?$/;

/** 96 bits of a SHA-256, base64url: enough to tell a handful of clients apart, and none of what the client sent is kept. */
function shortHash(kind: string, value: string) {
  return createHash("sha256").update(`${kind}\n${value}`).digest("base64url").slice(0, 16);
}

/**
 * POLICY-3's finer signals from what the client sent. A client is its whole
 * User-Agent plus its own session or client id where it sends one (Claude
 * Code's session, else the identity string as a whole, e.g. OpenAI's
 * `user`); a device is Claude Code's installation hash, which stays the same
 * across its sessions. Both are hashed here: one SHA-256 of a short string
 * per call. A client that sends neither a User-Agent nor an identity is no
 * client we can tell apart (null).
 */
export function clientSignalsOf(
  userAgent: string | null | undefined,
  identity: string | null | undefined,
): { clientId: string | null; device: string | null } {
  const ua = (userAgent ?? "").trim().slice(0, 300);
  const id = (identity ?? "").trim().slice(0, 300);
  const claude = CLAUDE_CODE_USER.exec(id);
  const session = claude ? (claude[2] ?? "") : id;
  return {
    clientId: ua || session ? shortHash("client", `${ua}\n${session}`) : null,
    device: claude ? shortHash("device", claude[1]) : null,
  };
}

/** The identity string in a model request's body, if it sent one (bounded: a longer one is not an identity we use). */
export function identityOf(body: Record<string, unknown>): string | null {
  // Anthropic's clients send `metadata.user_id`, OpenAI's `user`.
  const metadata = body.metadata;
  const fromMetadata =
    typeof metadata === "object" && metadata !== null && !Array.isArray(metadata)
      ? (metadata as Record<string, unknown>).user_id
      : undefined;
  const raw = fromMetadata ?? body.user;
  return typeof raw === "string" && raw.length > 0 && raw.length <= 300 ? raw : null;
}

/** Every signal of one call, from what the gateway saw of it. */
export function callerSignalsOf(input: {
  userAgent: string | null | undefined;
  network: string;
  agentShaped: boolean;
  identity: string | null | undefined;
}): CallerSignals {
  return {
    client: clientNameOf(input.userAgent),
    network: input.network,
    agentShaped: input.agentShaped,
    ...clientSignalsOf(input.userAgent, input.identity),
  };
}
