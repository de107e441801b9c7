import type { Db, Prisma } from "../db";

type Json = Prisma.InputJsonValue;
type Writer = Pick<Db, "auditLog">;

export type AuditEntry = {
  /** Who did it; null for the system or an anonymous visitor. */
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: Json | null;
  after?: Json | null;
  ip?: string | null;
  at: Date;
};

/**
 * Appends one row to the audit log. Pass the transaction client when the change
 * it records is in a transaction, so the entry commits or rolls back with it.
 */
export async function recordAudit(writer: Writer, entry: AuditEntry) {
  await writer.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId ?? null,
      before: entry.before ?? undefined,
      after: entry.after ?? undefined,
      ip: entry.ip ?? null,
      createdAt: entry.at,
    },
  });
}
