import { lockUserRow } from "../accounts/lock";
import { DomainError } from "../errors/domain-error";
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { hashKey, type KeyPurpose } from "./subjects";

/** At most this many live keys per account: enough for every machine, few enough to review. */
export const MAX_LIVE_KEYS = 20;
export const KEY_NAME_MAX = 60;
const PREFIX_LENGTH = 11;

type KeyErrorCode = "key_name_invalid" | "too_many_keys" | "key_not_found" | "key_purpose_invalid";

/** A refused key change; too_many_keys names the limit in its message. */
export class KeyError extends DomainError<KeyErrorCode> {
  constructor(code: KeyErrorCode) {
    super(code, code, code === "key_not_found" ? 404 : code === "too_many_keys" ? 409 : 422, {
      params: code === "too_many_keys" ? { max: String(MAX_LIVE_KEYS) } : undefined,
    });
  }
}

export type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  purpose: KeyPurpose;
  limit5h: number | null;
  limitWeek: number | null;
  paygDailyCapMinor: bigint | null;
  expiresAt: Date | null;
};

export const KEY_PURPOSES = ["coding", "payg", "both"] as const satisfies readonly KeyPurpose[];

/** QUOTA-9: a key is for coding tools or pay-as-you-go calls; both only where the operator allows it. */
export function purposesAllowed(bothAllowed: boolean): KeyPurpose[] {
  return bothAllowed ? [...KEY_PURPOSES] : ["coding", "payg"];
}

/** `cp_` and 32 URL-safe characters (192 random bits). Only its SHA-256 is stored. */
export function newKeySecret(): string {
  return `cp_${randomBytes(24).toString("base64url")}`;
}

export function normalizeKeyName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, " ");
  if (trimmed.length < 1 || trimmed.length > KEY_NAME_MAX) throw new KeyError("key_name_invalid");
  return trimmed;
}

/**
 * Creates a key and answers its secret, the one time it is ever shown. The
 * live-key limit is checked under a lock on the user row, so two quick clicks
 * cannot pass it together.
 */
export async function createKey(
  db: Db,
  userId: string,
  name: string,
  now: Date,
  purpose: KeyPurpose = "coding",
  bothAllowed = true,
): Promise<{ key: KeyRow; secret: string }> {
  const clean = normalizeKeyName(name);
  if (!purposesAllowed(bothAllowed).includes(purpose)) throw new KeyError("key_purpose_invalid");
  const secret = newKeySecret();
  const key = await db.$transaction(async (tx) => {
    await lockUserRow(tx, userId);
    const live = await tx.apiKey.count({ where: { userId, revokedAt: null } });
    if (live >= MAX_LIVE_KEYS) throw new KeyError("too_many_keys");
    const created = await tx.apiKey.create({
      data: {
        userId,
        name: clean,
        prefix: secret.slice(0, PREFIX_LENGTH),
        hash: hashKey(secret),
        createdAt: now,
        purpose,
      },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "api_key.create",
      subjectType: "api_key",
      subjectId: created.id,
      after: { name: clean, prefix: created.prefix, purpose },
      at: now,
    });
    return created;
  });
  return { key: rowOf(key), secret };
}

export async function listKeys(db: Db, userId: string): Promise<KeyRow[]> {
  const keys = await db.apiKey.findMany({
    where: { userId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  });
  return keys.map(rowOf);
}

/**
 * Revokes a key of this user. The update fires the api_keys trigger, whose
 * notification drops the key from every process's cache, and quota_consume
 * refuses it under its lock even before that arrives. Revoking twice is a no-op.
 */
export async function revokeKey(db: Db, userId: string, keyId: string, now: Date): Promise<KeyRow> {
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, userId } });
    if (!key) throw new KeyError("key_not_found");
    if (key.revokedAt) return rowOf(key);
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: now } });
    await recordAudit(tx, {
      actorId: userId,
      action: "api_key.revoke",
      subjectType: "api_key",
      subjectId: key.id,
      before: { revokedAt: null },
      after: { revokedAt: now.toISOString() },
      at: now,
    });
    return rowOf(revoked);
  });
}

function rowOf(k: KeyRow): KeyRow {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    purpose: k.purpose,
    limit5h: k.limit5h,
    limitWeek: k.limitWeek,
    paygDailyCapMinor: k.paygDailyCapMinor,
    expiresAt: k.expiresAt,
  };
}
