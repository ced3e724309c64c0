import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ARTIFACTS_DIR, HUB_PORT } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  type Answer,
  apiOk,
  createGroup,
  createPerson,
  createServer,
  LATEST_LEGACY_VERSION,
  MODERN_VERSION,
  mcpRaw,
  modernMeta,
  type Person,
  rpc,
  setGroupActive,
} from "../support/mcp";
import { alive, PROBE_SERVER, processesOf, waitFor } from "../support/processes";

// Upstream faults, one at a time, on the shared test hub. For each: the affected call fails with an
// isError result that names the server and says what happened (fast, or at the server's call
// timeout for a hang), calls to healthy servers made at the same time succeed, every call that
// completed has its row in the call log, and the next call works again without anyone stepping in.
// (tests/api/mcp-upstream-faults.spec.ts covers upstreams that are broken before the first list.)

test.describe.configure({ mode: "serial", timeout: 60_000 });

const FAULT_SERVER = "tests/fixtures/servers/fault-server.mjs";
// The file's own fixture port, inside the run's range (HUB_PORT … +99; +90 and +97 are taken).
const FAULT_PORT = HUB_PORT + 61;
const CALL_TIMEOUT_MS = 3_000;

let fixture: ChildProcess | undefined;
let faulty = "";
let healthy = "";
let person: Person;

type Call = { result: Answer; text: string; ms: number };

/** A process and all its descendants, from this machine's process table. */
function treeOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  return tree;
}

async function call(name: string, args: Record<string, unknown> = {}, who = person): Promise<Call> {
  const started = performance.now();
  const answer = await mcpRaw("/api/mcp", rpc("tools/call", { name, arguments: args }), { key: who.key });
  const ms = Math.round(performance.now() - started);
  expect(answer.status, answer.text).toBe(200);
  const result = answer.message.result;
  expect(result, answer.text).toBeTruthy();
  return { result, text: result.content?.[0]?.text ?? "", ms };
}

async function expectWorks(server: string, message: string, who = person) {
  const answer = await call(`${server}-echo`, { message }, who);
  expect(answer.result.isError, answer.text).toBeFalsy();
  return answer;
}

/** The person's call log rows (written in batches a few times a second). */
async function callLog(
  who: Person,
): Promise<Array<{ tool: string; status: string; errorClass: string | null }>> {
  const body = await apiOk("GET", `/api/v1/audit?user=${encodeURIComponent(who.email)}&limit=1000`);
  return body.calls;
}

test.beforeAll(async () => {
  fixture = await startFixture(FAULT_SERVER, FAULT_PORT);
  faulty = await createServer("faulty", {
    type: "streamable-http",
    url: `http://127.0.0.1:${FAULT_PORT}/mcp`,
    isolation: "none",
    callTimeoutMs: CALL_TIMEOUT_MS,
  });
  healthy = await createServer("healthy");
  const group = await createGroup([faulty, healthy]);
  person = await createPerson("faults");
  await setGroupActive(person, group);
  // Both upstreams connected and listed, so the times below are the faults', not the first start's.
  await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
});

test.afterAll(async () => {
  await stopFixture(fixture);
});

const broken: Array<{ tool: string; says: RegExp }> = [
  { tool: "garbage-json", says: /answered with a body that is not JSON: "<html>502 Bad Gateway<\/html>"/ },
  { tool: "wrong-shape", says: /answered with JSON that is not a JSON-RPC message: \{"status":"ok"/ },
  {
    tool: "garbage-sse",
    says: /sent an event in its answer stream that is not JSON-RPC: "this is not json at all"/,
  },
  { tool: "cut-sse", says: /broke off its answer stream in the middle of an event before answering/ },
  { tool: "close-socket", says: /closed the connection before answering/ },
];

test("garbage, a cut SSE answer or a closed socket fails the call at once, and the next call works", async () => {
  for (const { tool, says } of broken) {
    // A healthy call runs beside each broken one.
    const [failed, beside] = await Promise.all([
      call(`${faulty}-${tool}`),
      expectWorks(healthy, `beside ${tool}`),
    ]);
    expect(failed.result.isError, tool).toBe(true);
    expect(failed.text).toMatch(new RegExp(`^${faulty}: `));
    expect(failed.text).toMatch(says);
    // Far below the call timeout: the hub noticed the broken answer itself.
    expect(failed.ms, `${tool} took ${failed.ms} ms`).toBeLessThan(1_500);
    expect(beside.text).toBe(`Echo: beside ${tool}`);
    test.info().annotations.push({ type: `fail ${tool}`, description: `${failed.ms} ms` });
    // Recovery: the same upstream's healthy tool answers on the very next call.
    const next = await expectWorks(faulty, `after ${tool}`);
    expect(next.text).toBe(`echo: after ${tool}`);
  }
  await expect
    .poll(
      async () => (await callLog(person)).filter((row) => row.errorClass === "upstream_bad_answer").length,
    )
    .toBe(4);
});

test("a hang fails at the server's call timeout with a message saying so; other calls keep working", async () => {
  const who = await createPerson("hang");
  await setGroupActive(who, await createGroup([faulty, healthy]));
  const hanging = call(`${faulty}-hang`, {}, who);
  // While it hangs: the healthy server and the same server's other tools answer at once.
  const started = performance.now();
  for (let i = 0; i < 5; i++) {
    expect((await expectWorks(healthy, `during ${i}`, who)).text).toBe(`Echo: during ${i}`);
    expect((await expectWorks(faulty, `during ${i}`, who)).text).toBe(`echo: during ${i}`);
  }
  expect(performance.now() - started).toBeLessThan(CALL_TIMEOUT_MS);
  const failed = await hanging;
  expect(failed.result.isError).toBe(true);
  expect(failed.text).toBe(
    `${faulty}: did not answer within ${CALL_TIMEOUT_MS} ms (the server's call timeout); the call was cancelled`,
  );
  expect(failed.ms).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS);
  expect(failed.ms).toBeLessThan(CALL_TIMEOUT_MS + 1_500);
  test.info().annotations.push({ type: "fail hang", description: `${failed.ms} ms` });
  await expectWorks(faulty, "after the hang", who);
  // Every completed call is logged: 10 during the hang, the hang itself (a timeout), one after.
  await expect
    .poll(async () => {
      const rows = await callLog(who);
      return { total: rows.length, timeouts: rows.filter((r) => r.errorClass === "timeout").length };
    })
    .toEqual({ total: 12, timeouts: 1 });
});

test("an upstream that refuses connections fails calls at once, and serves again when it is back", async () => {
  const who = await createPerson("refused");
  await setGroupActive(who, await createGroup([faulty, healthy]));
  await expectWorks(faulty, "before", who);
  await stopFixture(fixture);
  try {
    const failed = await call(`${faulty}-echo`, { message: "while down" }, who);
    expect(failed.result.isError).toBe(true);
    expect(failed.text).toMatch(new RegExp(`^${faulty}: Connection refused`));
    expect(failed.ms).toBeLessThan(1_000);
    test.info().annotations.push({ type: "fail refused", description: `${failed.ms} ms` });
    await expectWorks(healthy, "while the other is down", who);
  } finally {
    fixture = await startFixture(FAULT_SERVER, FAULT_PORT);
  }
  // Back on the same port: no admin action, the next calls reach it.
  const started = performance.now();
  await expect
    .poll(async () => (await call(`${faulty}-echo`, { message: "back" }, who)).text, { timeout: 10_000 })
    .toBe("echo: back");
  test.info().annotations.push({
    type: "recover refused",
    description: `${Math.round(performance.now() - started)} ms after the upstream listened again`,
  });
  await expect
    .poll(async () => (await callLog(who)).map((r) => r.status).sort())
    .toEqual(expect.arrayContaining(["error", "ok", "ok"]));
});

test("a stdio upstream that exits mid-call: the call says so, the next call starts it again", async () => {
  const stdio = await createServer("exits", {
    type: "stdio",
    command: "node",
    args: [FAULT_SERVER, "stdio"],
    isolation: "none",
  });
  const who = await createPerson("exits");
  await setGroupActive(who, await createGroup([stdio, healthy]));
  await expectWorks(stdio, "before", who);
  const [failed, beside] = await Promise.all([
    call(`${stdio}-exit`, {}, who),
    expectWorks(healthy, "beside the exit", who),
  ]);
  expect(failed.result.isError).toBe(true);
  expect(failed.text).toBe(
    `${stdio}: the process exited: fault-server: exiting in the middle of a call while the call ran; the next call reconnects`,
  );
  expect(failed.ms).toBeLessThan(1_500);
  expect(beside.text).toBe("Echo: beside the exit");
  test.info().annotations.push({ type: "fail stdio exit", description: `${failed.ms} ms` });
  // The very next call starts a new process.
  const next = await expectWorks(stdio, "after", who);
  test.info().annotations.push({ type: "recover stdio exit", description: `${next.ms} ms (a new process)` });
  await expect
    .poll(async () => (await callLog(who)).map((r) => `${r.tool}:${r.status}`).sort())
    .toEqual(["echo:ok", "echo:ok", "echo:ok", "exit:error"]);
});

test("a client that goes away mid-call: the upstream is told to cancel, and the call log says cancelled", async () => {
  const log = path.join(ARTIFACTS_DIR, `cancelled-${Date.now()}.log`);
  writeFileSync(log, "");
  const stdio = await createServer("cancels", {
    type: "stdio",
    command: "node",
    args: [FAULT_SERVER, "stdio"],
    env: { FAULT_SERVER_LOG: log },
    isolation: "none",
  });
  const who = await createPerson("goes-away");
  await setGroupActive(who, await createGroup([stdio]));
  await expectWorks(stdio, "before", who);
  const slow = `${stdio}-slow`;
  const params = { name: slow, arguments: { ms: 20_000 } };
  for (const protocolVersion of [LATEST_LEGACY_VERSION, MODERN_VERSION]) {
    const leaving = new AbortController();
    const modern = protocolVersion === MODERN_VERSION;
    const pending = modern
      ? mcpRaw("/api/mcp", rpc("tools/call", { ...params, _meta: modernMeta() }), {
          key: who.key,
          signal: leaving.signal,
          headers: { "Mcp-Protocol-Version": MODERN_VERSION, "Mcp-Method": "tools/call", "Mcp-Name": slow },
        })
      : mcpRaw("/api/mcp", rpc("tools/call", params), { key: who.key, signal: leaving.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = performance.now();
    leaving.abort();
    await expect(pending).rejects.toThrow();
    // The upstream hears of it long before its 20 s would have passed.
    await expect
      .poll(() => readFileSync(log, "utf8").split("\n").filter(Boolean).length, { timeout: 5_000 })
      .toBe(modern ? 2 : 1);
    test.info().annotations.push({
      type: `cancel reached the upstream (${protocolVersion})`,
      description: `${Math.round(performance.now() - left)} ms`,
    });
  }
  await expect
    .poll(async () => (await callLog(who)).filter((r) => r.tool === "slow").map((r) => r.errorClass))
    .toEqual(["cancelled", "cancelled"]);
  // The person's next call is served as usual.
  await expectWorks(stdio, "after", who);
});

test("an isolated process killed with SIGKILL: the call in flight fails clearly, a later call gets a new process", async () => {
  const probe = await createServer("killed", { ...PROBE_SERVER });
  const who = await createPerson("killed");
  await setGroupActive(who, await createGroup([probe, healthy]));
  const whoami = async () => {
    const answer = await call(`${probe}-whoami`, {}, who);
    expect(answer.result.isError, answer.text).toBeFalsy();
    return answer;
  };
  await whoami();
  const [before] = await processesOf(probe);
  const pid = before?.pid as number;
  expect(pid).toBeGreaterThan(0);
  const tree = treeOf(pid);

  const inFlight = call(`${probe}-sleep`, { ms: 20_000 }, who);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const killedAt = performance.now();
  process.kill(pid, "SIGKILL");
  const failed = await inFlight;
  const failMs = Math.round(performance.now() - killedAt);
  expect(failed.result.isError).toBe(true);
  expect(failed.text).toMatch(
    new RegExp(
      `^${probe}: the process ended \\(killed by SIGKILL.*\\) while the call ran; the next call reconnects$`,
    ),
  );
  expect(failMs).toBeLessThan(1_000);
  test.info().annotations.push({ type: "fail SIGKILL", description: `${failMs} ms after the kill` });
  // Nothing of the killed process's tree is left running.
  await waitFor(() => tree.every((member) => !alive(member)), 5_000, "the killed process's tree to be gone");
  // Other servers are not affected.
  await expectWorks(healthy, "after the kill", who);
  // The crash backoff says when the restart happens; after it, a new process answers.
  const next = await call(`${probe}-whoami`, {}, who);
  if (next.result.isError)
    expect(next.text).toMatch(/crashed \(killed by SIGKILL.*the hub restarts it on the next call in \d+ s/);
  await expect
    .poll(async () => (await call(`${probe}-whoami`, {}, who)).result.isError ?? false, { timeout: 10_000 })
    .toBe(false);
  const recoverMs = Math.round(performance.now() - killedAt);
  const [after] = (await processesOf(probe)).filter((p) => p.state === "running");
  expect(after?.pid).toBeGreaterThan(0);
  expect(after?.pid).not.toBe(pid);
  test.info().annotations.push({ type: "recover SIGKILL", description: `${recoverMs} ms after the kill` });
  await expect
    .poll(async () => (await callLog(who)).filter((r) => r.tool === "sleep").map((r) => r.status))
    .toEqual(["error"]);
});
