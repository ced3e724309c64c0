/** The largest MCP request body the hub reads (413 above it). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
