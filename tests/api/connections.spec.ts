import http from "node:http";
import { expect, test } from "@playwright/test";
import { HUB_PORT } from "../support/env";

/*
 * Idle client connections. Node closes them after 5 s unless told otherwise; a client (or a load
 * balancer, whose own limit is usually 60 s) that sends its next request on such a connection just
 * as the hub closes it gets a reset instead of an answer. The hub keeps them 65 s.
 */

/** GET on a kept-alive connection of `agent`: the status, the Keep-Alive header and the local port. */
function get(agent: http.Agent, path: string) {
  return new Promise<{ status: number; keepAlive: string | undefined; localPort: number | undefined }>(
    (resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port: HUB_PORT, path, agent }, (response) => {
        response.resume();
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            keepAlive: String(response.headers["keep-alive"]),
            localPort: request.socket?.localPort,
          }),
        );
      });
      request.on("error", reject);
    },
  );
}

test("an idle connection is kept 65 s, announced in Keep-Alive, and a request 6 s later reuses it", async () => {
  // Node's agent would close its own socket a second before the announced limit.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, "/api/health");
    expect(first.status).toBe(200);
    expect(first.keepAlive).toBe("timeout=65");
    // Past Node's 5 s: the hub would have closed the connection by now.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = await get(agent, "/api/health");
    expect(second.status).toBe(200);
    expect(second.localPort).toBe(first.localPort);
  } finally {
    agent.destroy();
  }
});
