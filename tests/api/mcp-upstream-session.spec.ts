import type { ChildProcess } from "node:child_process";
import { HUB_PORT } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import { createGroup, createPerson, createServer, mcpRaw, rpc, setGroupActive } from "../support/mcp";
import { expect, test } from "../support/session";

const EVERYTHING = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";
const startEverything = (port: number) =>
  startFixture(EVERYTHING, port, ["streamableHttp"], "listening on port");

let upstream: ChildProcess | undefined;
test.afterEach(() => stopFixture(upstream));

test("an upstream that restarts and forgets the hub's session is reconnected without failing the call", async () => {
  const port = HUB_PORT + 60 + test.info().workerIndex;
  upstream = await startEverything(port);
  const server = await createServer("restarting", {
    type: "streamable-http",
    url: `http://127.0.0.1:${port}/mcp`,
    headers: {},
  });
  const person = await createPerson("restart");
  await setGroupActive(person, await createGroup([server]));
  const echo = async (message: string) =>
    (
      await mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-echo`, arguments: { message } }), {
        key: person.key,
      })
    ).message;

  expect((await echo("before")).result.content[0].text).toBe("Echo: before");

  // The upstream restarts: its sessions are gone, and it answers the hub's session id with 404.
  await stopFixture(upstream);
  upstream = await startEverything(port);

  const after = await echo("after");
  expect(after.result.isError ?? false, JSON.stringify(after)).toBe(false);
  expect(after.result.content[0].text).toBe("Echo: after");
  const listed = (await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key })).message;
  expect(listed.result.tools.map((t: { name: string }) => t.name)).toContain(`${server}-echo`);
});
