/**
 * Whether an upstream no longer knows our session (it restarted, or expired it). The specification
 * says 404; servers built on older SDK examples (server-everything among them) answer 400 "No valid
 * session ID". Either way the request was refused before it ran, so the caller may open a fresh
 * session and send it once more.
 */
export function isSessionLost(error: unknown): boolean {
  const { status, code, message } = (error ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  const httpStatus = typeof status === "number" ? status : typeof code === "number" ? code : undefined;
  if (httpStatus === 404) return true;
  return httpStatus === 400 && typeof message === "string" && /session/i.test(message);
}
