/**
 * REL-3: whether an error means "the database is not there right now" (down,
 * restarting, shutting down, its connection cut) rather than a fault in the
 * request. Such a failure is answered 503 with Retry-After, never 500: the
 * caller should simply try again in a moment.
 */

// Node's socket errors when the server (or its Unix socket) is gone.
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
// Prisma's codes for an unreachable server, a timed-out connection, a closed connection and an exhausted pool.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// Prisma's driver adapter error kinds for the same.
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// node-postgres's own messages for a connection that broke or never came.
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Can't reach database server/i,
];

/** Postgres SQLSTATEs: 57P01..57P03 (shutting down, crashed, starting up), class 08 (connection), 53300 (too many connections). */
function isUnavailableState(code: string): boolean {
  return /^57P0[1-3]$/.test(code) || code.startsWith("08") || code === "53300";
}

type Shape = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
};

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 5) return false;
  const x = e as Shape;
  if (
    typeof x.code === "string" &&
    (SOCKET_CODES.has(x.code) ||
      PRISMA_CODES.has(x.code) ||
      (/^[0-9A-Z]{5}$/.test(x.code) && isUnavailableState(x.code)))
  )
    return true;
  if (typeof x.kind === "string" && ADAPTER_KINDS.has(x.kind)) return true;
  if (x.kind === "postgres" && typeof x.code === "string" && isUnavailableState(x.code)) return true;
  if (typeof x.message === "string" && MESSAGES.some((m) => m.test(x.message as string))) return true;
  const adapter = x.meta?.driverAdapterError?.cause;
  if (adapter && isDatabaseUnavailable(adapter, depth + 1)) return true;
  // AggregateError (a connection tried on IPv4 and IPv6) and wrapped causes.
  const inner = (e as { errors?: unknown[] }).errors;
  if (Array.isArray(inner) && inner.some((i) => isDatabaseUnavailable(i, depth + 1))) return true;
  return isDatabaseUnavailable(x.cause, depth + 1);
}

/** Seconds a caller is told to wait before trying again (Retry-After): about one restart of the embedded server. */
export const RETRY_AFTER_SECONDS = 2;
