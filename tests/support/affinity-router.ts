import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The load-balancer rule of docs/deployment.md, as a test can run it: a request whose
 * Mcp-Session-Id starts with an instance's MCPHUB_INSTANCE_ID and a dot goes to that instance;
 * every other request (initialize, stateless, REST) goes round-robin. It streams both ways, so
 * SSE answers pass as they come.
 */
export type AffinityRouter = {
  url: string;
  /** Which backend answered each request, in order (instance ids). */
  routed: string[];
  close: () => Promise<void>;
};

export async function startAffinityRouter(backends: Record<string, string>): Promise<AffinityRouter> {
  const ids = Object.keys(backends);
  const routed: string[] = [];
  let next = 0;
  const server = http.createServer((request, response) => {
    const session = request.headers["mcp-session-id"];
    const owner = typeof session === "string" ? ids.find((id) => session.startsWith(`${id}.`)) : undefined;
    const id = owner ?? (ids[next++ % ids.length] as string);
    routed.push(id);
    const target = new URL(request.url ?? "/", backends[id]);
    const upstream = http.request(
      target,
      { method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
