/**
 * A streamable-HTTP upstream answering 404 to our session id no longer knows the session (it
 * restarted, or expired it). It refused the request before running it, so the caller may open a
 * fresh session and send the request once more.
 */
export function isSessionLost(error: unknown): boolean {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  return status === 404 || code === 404;
}
