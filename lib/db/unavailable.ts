/**
 * Telling "the database cannot be reached" apart from every other failure, so callers get a 503
 * they can retry (with Retry-After) instead of a 500 that sends them to the admin.
 */

export const DATABASE_UNAVAILABLE_MESSAGE =
  "The hub cannot reach its database right now; retry in a few seconds";
/** Seconds a client is asked to wait (Retry-After): long enough for a restart to finish. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Thrown where the hub itself gave up waiting for the database (a lookup with a deadline). */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(readonly reason: string) {
    super(`${DATABASE_UNAVAILABLE_MESSAGE} (${reason})`);
  }
}

// Socket errors, postgres.js's own connection codes, and the SQLSTATEs of a server that is shutting
// down, starting up or dropped the connection (class 08 and 57P0x).
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
]);
const SQLSTATE = /^(08\d{3}|57P0[1-3])$/;

/** Whether an error (or one of its causes, as drizzle wraps the driver's) means the database is out of reach. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Rejects with a DatabaseUnavailableError when `promise` takes longer than `ms` (a blackholed connection). */
export async function withDatabaseDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
