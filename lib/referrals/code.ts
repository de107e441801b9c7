import { randomInt } from "node:crypto";
import { Prisma, type Db, type Tx } from "../db";

// No 0/O, 1/I/L: a code read aloud or copied by hand survives.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LENGTH = 8;

export function newCode(): string {
  return Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

/** Codes are typed by people: case and spaces or dashes do not matter. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

export function looksLikeCode(code: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(code);
}

/** REF-1: the subscriber's code, made on first need. Two first requests at once end with one code. */
export async function referralCodeOf(database: Db, userId: string, now: Date): Promise<string> {
  const found = await database.referralCode.findUnique({ where: { userId } });
  if (found) return found.code;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const made = await database.referralCode.create({ data: { userId, code: newCode(), createdAt: now } });
      return made.code;
    } catch (e) {
      if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")) throw e;
      // Either this user's code was made meanwhile, or the random code was taken: look, then try another.
      const raced = await database.referralCode.findUnique({ where: { userId } });
      if (raced) return raced.code;
    }
  }
  throw new Error("could not allot a referral code");
}

export async function inviterOfCode(tx: Tx | Db, code: string) {
  const normalized = normalizeCode(code);
  if (!looksLikeCode(normalized)) return null;
  const row = await tx.referralCode.findUnique({
    where: { code: normalized },
    include: { user: { select: { id: true, status: true } } },
  });
  return row && row.user.status !== "banned" ? { inviterId: row.userId, code: row.code } : null;
}
