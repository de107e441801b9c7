import { db } from "../db";

/** The admin home: newest customers and the latest audit entries. */
export async function getAdminOverview(limit = 50) {
  const [users, audit] = await Promise.all([
    db().user.findMany({
      orderBy: { createdAt: "desc" },
      take: limit,
      select: { id: true, email: true, name: true, role: true, status: true, createdAt: true },
    }),
    db().auditLog.findMany({ orderBy: { id: "desc" }, take: limit }),
  ]);
  const actorIds = [...new Set(audit.map((a) => a.actorId).filter((id): id is string => !!id))];
  const actors = await db().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } });
  const emailOf = new Map(actors.map((a) => [a.id, a.email]));
  return {
    users,
    audit: audit.map((a) => ({
      ...a,
      id: a.id.toString(),
      actorEmail: a.actorId ? (emailOf.get(a.actorId) ?? a.actorId) : null,
    })),
  };
}
