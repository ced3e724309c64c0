import { randomInt } from "node:crypto";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { HUB_PORT } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  apiOk,
  createGroup,
  createPerson,
  createServer,
  mcpRaw,
  rpc,
  setGroupActive,
  unknownToolError,
} from "../support/mcp";

// One broken upstream never breaks the others: the person's list comes quickly with the healthy
// servers' tools, and the admin sees what went wrong on the broken server.

/** A loopback port in the range the tests may use on which nothing listens. */
async function closedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 3850 + randomInt(40); // 3850-3889: clear of the hub (3800) and the OIDC fixture (3890)
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no closed port in 3850-3889");
}

/** A group of a healthy server-everything and one broken server, for a new person. */
async function setUp(broken: Record<string, unknown>) {
  const healthy = await createServer("healthy");
  const brokenName = await createServer("broken", broken);
  const group = await createGroup([healthy, brokenName]);
  const person = await createPerson("faulty");
  await setGroupActive(person, group);
  return { healthy, broken: brokenName, person };
}

async function timedList(key: string) {
  const started = performance.now();
  const answer = await mcpRaw("/api/mcp", rpc("tools/list"), { key });
  return { answer, ms: performance.now() - started };
}

async function lastErrorOf(server: string): Promise<string | null> {
  const detail = await apiOk("GET", `/api/v1/servers/${server}`);
  return detail.status.lastError;
}

const cases: Array<{ title: string; config: () => Promise<Record<string, unknown>>; error: RegExp }> = [
  {
    title: "a stdio server whose command does not exist",
    config: async () => ({ type: "stdio", command: "mcphub-test-no-such-command", args: [] }),
    error: /command was not found/,
  },
  {
    title: "a streamable-http server on a closed loopback port",
    config: async () => ({ type: "streamable-http", url: `http://127.0.0.1:${await closedPort()}/mcp` }),
    error: /Connection refused/,
  },
  {
    title: "an sse server on a closed loopback port",
    config: async () => ({ type: "sse", url: `http://127.0.0.1:${await closedPort()}/sse` }),
    error: /Connection refused|ECONNREFUSED/,
  },
  {
    title: "a stdio server that exits while starting, saying why on stderr",
    config: async () => ({
      type: "stdio",
      command: "node",
      args: ["-e", "console.error('missing API token: set TOKEN'); process.exit(3)"],
    }),
    error: /missing API token: set TOKEN/,
  },
];

for (const { title, config, error } of cases) {
  test(`${title} leaves the healthy server's tools listed and shows the admin why`, async () => {
    const { healthy, broken, person } = await setUp(await config());
    const { answer, ms } = await timedList(person.key);
    expect(answer.status).toBe(200);
    const names = answer.message.result.tools.map((t: { name: string }) => t.name);
    expect(names).toContain(`${healthy}-echo`);
    expect(names.some((name: string) => name.startsWith(`${broken}-`))).toBe(false);
    expect(ms).toBeLessThan(4_000);

    await expect.poll(() => lastErrorOf(broken), { timeout: 5_000 }).toMatch(error);
    expect(await lastErrorOf(healthy)).toBeNull();

    // The healthy server's tools keep working; the broken one's are simply not there.
    const echo = await mcpRaw(
      "/api/mcp",
      rpc("tools/call", { name: `${healthy}-echo`, arguments: { message: "still here" } }),
      { key: person.key },
    );
    expect(echo.message.result.content).toEqual([{ type: "text", text: "Echo: still here" }]);
    const again = await timedList(person.key);
    expect(again.ms).toBeLessThan(2_000);
    expect(again.answer.message.result.tools.length).toBe(names.length);
  });
}

test("a stdio server that never answers initialize costs the list no more than its list timeout", async () => {
  const { healthy, broken, person } = await setUp({
    type: "stdio",
    command: "node",
    args: ["-e", "setInterval(() => {}, 1000)"],
    listTimeoutMs: 1_000,
  });
  const { answer, ms } = await timedList(person.key);
  expect(answer.message.result.tools.map((t: { name: string }) => t.name)).toContain(`${healthy}-echo`);
  // The hub's connect timeout is 10 s: the list must not wait for it.
  expect(ms).toBeLessThan(4_000);
  await expect.poll(() => lastErrorOf(broken), { timeout: 5_000 }).toMatch(/timed out after 1000 ms/);

  // While it still hangs, the next list is as quick.
  const again = await timedList(person.key);
  expect(again.ms).toBeLessThan(4_000);
  const call = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${broken}-echo`, arguments: { message: "x" } }),
    { key: person.key },
  );
  expect(call.message.error).toEqual(unknownToolError(`${broken}-echo`));
});

test("the admin sees a server recover at once: a list after an error is written even when it repeats the last one", async () => {
  // Per-person connections: each person's first list is fetched from the upstream and reported.
  const port = HUB_PORT + 62;
  const url = `http://127.0.0.1:${port}/mcp`;
  let fixture = await startFixture("tests/fixtures/servers/fault-server.mjs", port);
  try {
    const server = await createServer("flaky", { type: "streamable-http", url, isolation: "token" });
    const group = await createGroup([server]);
    const listBy = async (prefix: string) => {
      const person = await createPerson(prefix);
      await setGroupActive(person, group);
      return mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
    };
    const status = async () => (await apiOk("GET", `/api/v1/servers/${server}`)).status;

    expect((await listBy("first")).status).toBe(200);
    // The list is reported after it is answered, without holding the answer up.
    await expect.poll(async () => (await status()).toolCount, { timeout: 5_000 }).toBeGreaterThan(0);
    const first = await status();
    expect(first.lastError).toBeNull();
    // The same list moments later is not written again (a burst of new people wrote it each time).
    expect((await listBy("second")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a write that should not come
    expect((await status()).toolsListedAt).toBe(first.toolsListedAt);

    await stopFixture(fixture);
    await listBy("during");
    await expect
      .poll(async () => (await status()).lastError, { timeout: 5_000 })
      .toMatch(/Connection refused/);

    // Back up with the very same list, well inside the rewrite interval: the error clears now.
    fixture = await startFixture("tests/fixtures/servers/fault-server.mjs", port);
    const after = await listBy("after");
    expect(after.message.result.tools.length).toBe(first.toolCount);
    await expect.poll(async () => (await status()).lastError, { timeout: 5_000 }).toBeNull();
    expect(Date.parse((await status()).toolsListedAt)).toBeGreaterThan(Date.parse(first.toolsListedAt));
  } finally {
    await stopFixture(fixture);
  }
});
