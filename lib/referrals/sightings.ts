import type { Tx } from "../db";
import type { Sighting } from "./device";

/** Notes that an account was seen on this network and device (for the shared-device rule). */
export async function recordSighting(tx: Tx, userId: string, s: Sighting, now: Date) {
  const rows = [
    { kind: "network", value: s.network },
    { kind: "device", value: s.device },
  ].filter((r) => r.value !== "unknown");
  for (const r of rows)
    await tx.$executeRaw`
      INSERT INTO "account_sightings" ("user_id", "kind", "value", "first_seen", "last_seen")
      VALUES (${userId}::uuid, ${r.kind}, ${r.value}, ${now}, ${now})
      ON CONFLICT ("user_id", "kind", "value") DO UPDATE SET "last_seen" = GREATEST("account_sightings"."last_seen", EXCLUDED."last_seen")`;
}
