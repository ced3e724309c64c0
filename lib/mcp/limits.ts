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
