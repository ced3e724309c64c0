/**
 * A 2025-11-25 session driven by plain fetch, without the SDK client: what a server itself costs,
 * without the client library's validation of every answer. `request` sends one JSON-RPC request and
 * reads the whole answer (JSON or SSE) as text.
 */
export async function rawSession(url: string, headers: Record<string, string> = {}) {
  const base = {
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    "Mcp-Protocol-Version": "2025-11-25",
    ...headers,
  };
  let id = 0;
  const post = (extra: Record<string, string>, body: object) =>
    fetch(url, { method: "POST", headers: { ...base, ...extra }, body: JSON.stringify(body) });
  const opened = await post(
    {},
    {
      jsonrpc: "2.0",
      id: id++,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "bench-raw", version: "1" },
      },
    },
  );
  await opened.text();
  const session = { "Mcp-Session-Id": opened.headers.get("mcp-session-id") ?? "" };
  await (await post(session, { jsonrpc: "2.0", method: "notifications/initialized" })).text();
  return async (method: string, params?: object): Promise<string> => {
    const answer = await post(session, { jsonrpc: "2.0", id: id++, method, ...(params && { params }) });
    const text = await answer.text();
    if (!answer.ok || !text.includes('"result"'))
      throw new Error(`${method} failed: ${answer.status} ${text.slice(0, 200)}`);
    return text;
  };
}
