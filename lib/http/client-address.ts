import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/**
 * SEC-2: who is asking, by network. The only address a client cannot write is
 * the socket's; X-Forwarded-For entries count only as far as the operator
 * says proxies of theirs sit in front (TRUSTED_PROXY_HOPS). Each trusted
 * proxy appends the address it saw, so with N of them the client is the N-th
 * entry from the right; everything to its left was written by the client and
 * is ignored. Too few entries (a request that bypassed the proxies) falls
 * back to the leftmost the proxies did report, never past them.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const socket = normalize(socketAddress) ?? "unknown";
  if (trustedHops <= 0) return socket;
  const hops = [forwardedFor]
    .flat()
    .filter((v): v is string => typeof v === "string")
    .join(",")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (hops.length === 0) return socket;
  const picked = hops[Math.max(0, hops.length - trustedHops)];
  return normalize(picked) ?? "unknown";
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is the IPv4 address; anything that is not an address is unknown. */
function normalize(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const bare = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(bare) ? bare : undefined;
}

/**
 * The header our own servers (scripts/web-server.ts, the decision server) set
 * on every request before any handler runs, overwriting whatever the client
 * sent under that name. Handlers read the address from it (lib/http/client-ip.ts).
 */
export const CLIENT_ADDRESS_HEADER = "x-codeplan-client-address";

export function stampClientAddress(req: IncomingMessage, trustedHops: number): string {
  const address = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  return address;
}

/** SEC-4: demo surfaces answer only to this machine. */
export function isLoopback(address: string): boolean {
  return address === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}
