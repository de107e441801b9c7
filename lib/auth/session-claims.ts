import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import type { SessionClaims } from "./session-gate";

/**
 * What the session cookie says about who is asking: only the id and the
 * session version. The role in the token is deliberately not read here, the
 * database decides that on every request (session-gate.ts).
 */
export async function readSessionClaims(): Promise<SessionClaims | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return id ? { userId: id, sessionVersion: session.user.sessionVersion } : null;
}
