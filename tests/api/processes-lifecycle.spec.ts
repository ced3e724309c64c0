import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN } from "../support/env";
import { MCP_ACCEPT, readAnswer, rpc } from "../support/mcp";
import { alive, PROBE_SERVER, type ProcessInfo, processesMatching, waitFor } from "../support/processes";
import { spawnHub } from "../support/spawn-hub";
import { uniqueName, uniqueUser } from "../support/users";

// Lifecycle of isolated processes on a hub of its own, with small caps: idle processes stop, caps
// make room by stopping the least recently used idle process, and stopping the hub leaves no
// process behind.

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

test("idle reaping, per-person and global caps (LRU idle evicted), and no orphans after the hub stops", async () => {
  test.setTimeout(120_000);
  const hub = await spawnHub({
    label: "processes",
    env: {
      MCPHUB_ADMIN_EMAIL: ADMIN.email,
      MCPHUB_ADMIN_PASSWORD: ADMIN.password,
      MCPHUB_ADMIN_API_KEY: ADMIN.apiKey,
      MCPHUB_MAX_PROCESSES_PER_USER: "2",
      MCPHUB_MAX_PROCESSES: "3",
    },
  });
  let stopped = false;
  try {
    const call = async (method: string, path: string, body?: unknown, key: string = ADMIN.apiKey) => {
      const response = await fetch(`${hub.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${key}`,
          ...(body !== undefined && { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const person = async (prefix: string) => {
      const who = uniqueUser(prefix);
      const user = await call("POST", "/api/v1/users", { email: who.email, role: "user" });
      const key = await call("POST", `/api/v1/users/${user.id}/keys`, { name: "test" });
      return { id: user.id as string, key: key.key as string };
    };
    // One server per group, so calling through /api/mcp/{group} starts that server's process only.
    const serverInGroup = async (fields: Record<string, unknown> = {}) => {
      const name = uniqueName("life");
      await call("POST", "/api/v1/servers", { name, ...PROBE_SERVER, ...fields });
      const group = uniqueName("g");
      await call("POST", "/api/v1/groups", { name: group, servers: [name], visibility: "public" });
      return { name, group };
    };
    const whoami = async (who: { key: string }, target: { name: string; group: string }) => {
      const response = await fetch(`${hub.url}/api/mcp/${target.group}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: MCP_ACCEPT,
          Authorization: `Bearer ${who.key}`,
        },
        body: JSON.stringify(rpc("tools/call", { name: `${target.name}-whoami`, arguments: {} })),
      });
      const answer = await readAnswer(response);
      expect(answer.message.result?.isError, answer.text).toBeFalsy();
      return answer.message.result.structuredContent;
    };
    const list = async (): Promise<ProcessInfo[]> => (await call("GET", "/api/worker/processes")).processes;
    const join = async (who: { key: string }, target: { group: string }) =>
      call("PUT", `/api/v1/me/groups/${target.group}`, { active: true }, who.key);

    const [s1, s2, s3] = [await serverInGroup(), await serverInGroup(), await serverInGroup()];
    const quick = await serverInGroup({ idleTimeoutMs: 1_500 });
    const [p1, p2] = [await person("p1"), await person("p2")];
    for (const target of [s1, s2, s3, quick]) {
      await join(p1, target);
      await join(p2, target);
    }

    // Idle: the server's own idleTimeoutMs (1.5 s) stops the process.
    await whoami(p1, quick);
    const [idle] = await list();
    expect(idle?.server).toBe(quick.name);
    await waitFor(async () => (await list()).length === 0, 6_000, "the idle process to be stopped");
    expect(alive(idle?.pid as number)).toBe(false);

    // Per-person cap 2: p1's third server stops p1's least recently used idle process (s1).
    await whoami(p1, s1);
    await whoami(p1, s2);
    const home = (await whoami(p1, s3)).cwd as string;
    let now = await list();
    expect(now.map((p) => p.server).sort()).toEqual([s2.name, s3.name].sort());

    // Global cap 3: p2 starts two; the hub's least recently used idle process (p1's s2) makes room.
    await whoami(p2, s1);
    now = await list();
    expect(now).toHaveLength(3);
    const p1s2 = now.find((p) => p.userId === p1.id && p.server === s2.name);
    await whoami(p2, s2);
    now = await list();
    expect(now).toHaveLength(3);
    expect(now.map((p) => `${p.userId === p1.id ? "p1" : "p2"}:${p.server}`).sort()).toEqual(
      [`p1:${s3.name}`, `p2:${s1.name}`, `p2:${s2.name}`].sort(),
    );
    await waitFor(() => !alive(p1s2?.pid as number), 5_000, "the evicted process to exit");

    // Stopping the hub stops every process tree: nothing left in the process table.
    const pids = now.map((p) => p.pid as number);
    expect(pids.every(alive)).toBe(true);
    const dataDir = home.slice(0, home.indexOf("/homes/"));
    expect(processesMatching(dataDir).length).toBeGreaterThan(0);
    // The hub's process spawner (the processes' parent) goes with the hub too.
    const spawners = processesMatching("process-spawner.mjs").filter((pid) => parentOf(pid) === hub.pid);
    expect(spawners).toHaveLength(1);
    expect(pids.map(parentOf).every((parent) => parent === spawners[0])).toBe(true);
    await hub.stop();
    stopped = true;
    await waitFor(() => pids.every((pid) => !alive(pid)), 10_000, "every process to exit with the hub");
    expect(processesMatching(dataDir)).toEqual([]);
    await waitFor(() => !alive(spawners[0] as number), 5_000, "the spawner to exit with the hub");
  } finally {
    if (!stopped) await hub.stop();
  }
});
