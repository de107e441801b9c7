import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db";
import { recordAudit } from "../lib/audit/record";

/** The demo admin's sign-in; printed by `npm start` and shown in the README. */
export const DEMO_ADMIN = { email: "admin@codeplan.local", password: "codeplan-admin" } as const;
export const DEMO_PASSWORD = "codeplan-demo";

const SUBSCRIBERS = [
  { email: "alice@example.com", name: "Alice Martin", locale: "en", region: "intl", status: "active" },
  { email: "wang.fang@example.cn", name: "王芳", locale: "zh-CN", region: "cn", status: "active" },
  { email: "bob@example.com", name: "Bob Keller", locale: "en", region: "intl", status: "restricted" },
] as const;

/**
 * Creates the demo admin and subscribers when they are missing. Idempotent:
 * existing accounts (and any password changed since) are left as they are.
 */
export async function seedDemoData(database: Db, now: Date): Promise<{ created: number }> {
  const people = [
    { email: DEMO_ADMIN.email, name: "Demo Admin", locale: "en", region: "intl", status: "active", role: "admin", password: DEMO_ADMIN.password },
    ...SUBSCRIBERS.map((s) => ({ ...s, role: "subscriber" as const, password: DEMO_PASSWORD })),
  ] as const;
  let created = 0;
  for (const p of people) {
    if (await database.user.findUnique({ where: { email: p.email }, select: { id: true } })) continue;
    const passwordHash = await hashPassword(p.password);
    // createMany + skipDuplicates: two starts racing on an empty database still create one row.
    const result = await database.user.createMany({
      data: [{ email: p.email, name: p.name, locale: p.locale, region: p.region, status: p.status, role: p.role, passwordHash, emailVerified: now, createdAt: now, updatedAt: now }],
      skipDuplicates: true,
    });
    if (result.count === 0) continue;
    created += 1;
    const user = await database.user.findUniqueOrThrow({ where: { email: p.email } });
    await recordAudit(database, { actorId: null, action: "demo.seed_user", subjectType: "user", subjectId: user.id, after: { email: p.email, role: p.role }, at: now });
  }
  return { created };
}
