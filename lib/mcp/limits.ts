/** The largest MCP request body the hub reads (413 above it). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The `code` of the error a body reader rejects with when the client hangs up before its body is
 * complete. A code, not a class: the front door and the routes load this module separately
 * (docs/decisions/0013-mcp-front-door.md), so an instanceof check across them would fail.
 */
const BODY_CUT_SHORT = "MCPHUB_BODY_CUT_SHORT";

export function bodyCutShort(): Error {
  return Object.assign(new Error("the client closed the connection while sending the body"), {
    code: BODY_CUT_SHORT,
  });
}

export function isBodyCutShort(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === BODY_CUT_SHORT;
}

/**
 * Reads a web request's body as text, at most `limit` bytes: past that it stops reading, cancels
 * the rest and answers null, so a client cannot make the hub hold an oversized body in memory.
 */
export async function readLimitedBody(request: Request, limit = MAX_BODY_BYTES): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
