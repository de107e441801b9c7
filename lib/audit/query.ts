import type { AuditLog, Db, Prisma } from "../db";
import { likeLiteral } from "../db/like";

export type AuditFilter = {
  /** Matches the start of the action: "wallet." finds every wallet action. */
  actionPrefix?: string;
  /** Part of the actor's e-mail, any case. */
  actorEmail?: string;
  /** The subject's id or its start (the admin home shows the first 8 characters). */
  subjectId?: string;
  /** From this instant, inclusive. */
  from?: Date;
  /** Up to this instant, exclusive. */
  to?: Date;
};

export type AuditPage = {
  entries: (AuditLog & { actorEmail: string | null })[];
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextBefore: bigint | null;
};

/**
 * The audit log, newest first, filtered, one page at a time. Pages are keyed
 * on the entry id (the log is append-only): entries written meanwhile never
 * push one already shown onto the next page, as offsets would.
 */
export async function queryAudit(
  database: Db,
  filter: AuditFilter,
  page: { before?: bigint; limit: number },
): Promise<AuditPage> {
  const where: Prisma.AuditLogWhereInput = {};
  if (filter.actionPrefix) where.action = { startsWith: likeLiteral(filter.actionPrefix) };
  if (filter.subjectId) where.subjectId = { startsWith: likeLiteral(filter.subjectId) };
  if (filter.from || filter.to)
    where.createdAt = { ...(filter.from && { gte: filter.from }), ...(filter.to && { lt: filter.to }) };
  if (page.before !== undefined) where.id = { lt: page.before };
  if (filter.actorEmail) {
    const actors = await database.user.findMany({
      where: { email: { contains: likeLiteral(filter.actorEmail.toLowerCase()), mode: "insensitive" } },
      select: { id: true },
      take: 1000,
    });
    if (actors.length === 0) return { entries: [], nextBefore: null };
    where.actorId = { in: actors.map((a) => a.id) };
  }
  // One more than asked tells whether an older page exists.
  const rows = await database.auditLog.findMany({ where, orderBy: { id: "desc" }, take: page.limit + 1 });
  const entries = rows.slice(0, page.limit);
  const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is string => !!id))];
  const actors = actorIds.length
    ? await database.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })
    : [];
  const emailOf = new Map(actors.map((a) => [a.id, a.email]));
  return {
    entries: entries.map((e) => ({ ...e, actorEmail: e.actorId ? (emailOf.get(e.actorId) ?? e.actorId) : null })),
    nextBefore: rows.length > page.limit ? entries[entries.length - 1].id : null,
  };
}
