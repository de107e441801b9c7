import { db } from "../db";

export async function getAccountSummary(userId: string) {
  return db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { createdAt: true },
  });
}
