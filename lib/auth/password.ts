import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2: argon2id with a prebuilt binary shipped inside the npm
// package (no compiler, no download), maintained by the napi-rs authors.
// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against a real hash for unknown e-mails keeps the response time
// the same, so timing does not reveal which addresses have accounts.
let dummy: Promise<string> | undefined;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword("codeplan-timing-equaliser");
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
