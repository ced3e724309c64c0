import { readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN, HUB_DATA_DIR, HUB_SHARED_SECRET } from "../support/env";
import {
  api,
  apiOk,
  createGroup,
  createKey,
  createPerson,
  createServer,
  mcpRaw,
  type Person,
  rpc,
  setGroupActive,
} from "../support/mcp";
import { alive, callJson, clientFor, PROBE_SERVER, processesOf, waitFor } from "../support/processes";

// Isolated processes (isolation "process"): one sandboxed process per person and server, with the
// person's own folder, uid and credentials, managed by the hub's worker.

const asRoot = process.getuid?.() === 0;
const HUB_SECRETS = [
  "DATABASE_URL",
  "MCPHUB_SECRET_KEY",
  "AUTH_SECRET",
  "AUTH_OIDC_SECRET",
  "MCPHUB_ADMIN_PASSWORD",
  "MCPHUB_ADMIN_API_KEY",
  HUB_SHARED_SECRET.name,
];

async function linkCredential(person: Person, name: string, value: string) {
  await apiOk("PUT", `/api/v1/me/credentials/${name}`, { key: person.key, body: { value }, status: 200 });
}

async function probeFor(people: Person[], fields: Record<string, unknown> = {}) {
  const server = await createServer("iso", { ...PROBE_SERVER, ...fields });
  const group = await createGroup([server]);
  for (const person of people) await setGroupActive(person, group);
  return server;
}

test("Alice and Bob on one server: own processes, own credentials, none of the hub's secrets, no way into each other's", async () => {
  const [alice, bob] = await Promise.all([createPerson("alice"), createPerson("bob")]);
  const server = await probeFor([alice, bob], { env: { PROBE_TOKEN: "${USER_PROBE_TOKEN}" } });
  const tokens = { alice: `alice-token-${alice.id}`, bob: `bob-token-${bob.id}` };
  await linkCredential(alice, "PROBE_TOKEN", tokens.alice);
  await linkCredential(bob, "PROBE_TOKEN", tokens.bob);

  const a = await clientFor(alice.key);
  const b = await clientFor(bob.key);
  try {
    const [aliceIs, bobIs] = await Promise.all([
      callJson(a, `${server}-whoami`),
      callJson(b, `${server}-whoami`),
    ]);

    // Credentials: each process holds its owner's value only; the hub's own secrets reach neither.
    expect(aliceIs.env.PROBE_TOKEN).toBe(tokens.alice);
    expect(bobIs.env.PROBE_TOKEN).toBe(tokens.bob);
    for (const seen of [aliceIs, bobIs]) {
      for (const name of HUB_SECRETS) expect(seen.env[name], name).toBeUndefined();
      const text = JSON.stringify(seen.env);
      expect(text).not.toContain(HUB_SHARED_SECRET.value);
      expect(text).not.toContain(ADMIN.password);
      expect(Object.keys(seen.env).sort()).toEqual(expect.arrayContaining(["HOME", "PATH", "PROBE_TOKEN"]));
      for (const name of Object.keys(seen.env))
        expect(["HOME", "PATH", "LANG", "LC_ALL", "TERM", "TZ", "PROBE_TOKEN", "PWD"], name).toContain(name);
    }
    expect(JSON.stringify(aliceIs.env)).not.toContain(tokens.bob);

    // Each works in a folder of their own under $MCPHUB_DATA_DIR/homes/<user>/<server>, which is HOME.
    expect(aliceIs.cwd).toBe(aliceIs.env.HOME);
    expect(aliceIs.cwd.startsWith(path.join(HUB_DATA_DIR, "homes", alice.id) + path.sep)).toBe(true);
    expect(bobIs.cwd.startsWith(path.join(HUB_DATA_DIR, "homes", bob.id) + path.sep)).toBe(true);

    // Two processes, one per person.
    const listed = await processesOf(server);
    expect(listed.map((p) => p.userId).sort()).toEqual([alice.id, bob.id].sort());
    const [alicePid, bobPid] = [alice.id, bob.id].map((id) => listed.find((p) => p.userId === id)?.pid);
    expect(alicePid).toBeTruthy();
    expect(alicePid).not.toBe(bobPid);

    // Alice's file in her folder: she reads it back; Bob's process cannot, by a direct system call.
    const diary = path.join(aliceIs.cwd, "diary.txt");
    expect(await callJson(a, `${server}-write-file`, { path: diary, content: "alice only" })).toEqual({
      ok: true,
    });
    expect(await callJson(a, `${server}-read-file`, { path: diary })).toEqual({
      ok: true,
      content: "alice only",
    });
    const peek = await callJson(b, `${server}-read-file`, { path: diary });
    expect(peek.ok).toBe(false);
    expect(["EACCES", "ENOENT"]).toContain(peek.error.code);
    // Nor the hub's own data (secrets, database).
    const hubSecrets = await callJson(b, `${server}-read-file`, {
      path: path.join(HUB_DATA_DIR, "secrets.json"),
    });
    expect(hubSecrets.ok).toBe(false);

    // Bob's process cannot signal Alice's.
    const signal = await callJson(b, `${server}-signal`, { pid: alicePid });
    expect(signal.ok).toBe(false);
    expect(["ESRCH", "EPERM"]).toContain(signal.error.code);
    expect(alive(alicePid as number)).toBe(true);

    if (asRoot) {
      expect(aliceIs.uid).not.toBe(bobIs.uid);
      expect(aliceIs.uid).toBeGreaterThanOrEqual(200_000);
      expect(aliceIs.gid).toBe(aliceIs.uid);
      // Bob cannot even write into Alice's folder.
      const write = await callJson(b, `${server}-write-file`, {
        path: path.join(aliceIs.cwd, "x"),
        content: "x",
      });
      expect(write.ok).toBe(false);
    }

    // Another key of Alice's (another session) reuses her process.
    const second = await createKey(alice);
    const again = await clientFor(second.key);
    try {
      await callJson(again, `${server}-whoami`);
    } finally {
      await again.close();
    }
    const after = await processesOf(server);
    expect(after.filter((p) => p.userId === alice.id).map((p) => p.pid)).toEqual([alicePid]);
  } finally {
    await a.close();
    await b.close();
  }
});

test("20 concurrent first calls by one person start exactly one process", async () => {
  const person = await createPerson("burst");
  const server = await probeFor([person]);
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-whoami`, arguments: {} }), { key: person.key }),
    ),
  );
  for (const answer of answers) expect(answer.message.result?.isError, answer.text).toBeFalsy();
  const cwds = new Set(answers.map((answer) => answer.message.result.structuredContent.cwd));
  expect(cwds.size).toBe(1);
  const listed = await processesOf(server);
  expect(listed).toHaveLength(1);
  expect(listed[0]?.state).toBe("running");
});

test("everyone's processes share one CPU weight below the hub's, so a crowd of them cannot starve the hub", async () => {
  const [alice, bob] = await Promise.all([createPerson("cpu-alice"), createPerson("cpu-bob")]);
  const server = await probeFor([alice, bob]);
  for (const person of [alice, bob]) {
    const answer = await mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-whoami`, arguments: {} }), {
      key: person.key,
    });
    expect(answer.message.result?.isError, answer.text).toBeFalsy();
  }
  const { sandbox } = await apiOk("GET", "/api/worker/processes");
  const cgroupLayer = sandbox.find((layer: { name: string }) => layer.name === "cgroup");
  const cpuGroupOf = (pid: number) =>
    readFileSync(`/proc/${pid}/cgroup`, "utf8")
      .split("\n")
      .find((line) => line.split(":")[1]?.split(",").includes("cpu"))
      ?.split(":")[2];
  const groups = (await processesOf(server)).map((p) => cpuGroupOf(p.pid as number));
  expect(groups).toHaveLength(2);
  if (!cgroupLayer.active) {
    // Without writable cgroups (not root, or a locked-down container) nice 10 is all there is.
    expect(cgroupLayer.detail).toMatch(/cgroup/);
    return;
  }
  expect(groups[0]).toMatch(/\/mcphub-processes$/);
  expect(groups[1]).toBe(groups[0]);
  const shares = Number(
    readFileSync(path.join("/sys/fs/cgroup/cpu", groups[0] as string, "cpu.shares"), "utf8"),
  );
  const hubShares = Number(
    readFileSync(path.join("/sys/fs/cgroup/cpu", cpuGroupOf(process.pid) as string, "cpu.shares"), "utf8"),
  );
  expect(shares).toBeLessThan(hubShares);
  expect(sandbox.find((layer: { name: string }) => layer.name === "limits").detail).toContain(
    `cpu.shares ${shares}`,
  );
});

test("a crash: the caller is told which server and when it restarts; the next call after that works", async () => {
  const person = await createPerson("crash");
  const server = await probeFor([person]);
  const client = await clientFor(person.key);
  try {
    await callJson(client, `${server}-whoami`);
    const [before] = await processesOf(server);
    await callJson(client, `${server}-crash`);
    await waitFor(async () => (await processesOf(server))[0]?.state === "crashed", 5_000, "the crash");
    const refused = await client.callTool({ name: `${server}-whoami`, arguments: {} });
    expect(refused.isError).toBe(true);
    const text = (refused.content as Array<{ text: string }>)[0]?.text ?? "";
    expect(text).toContain(`${server} crashed (exit code 3: isolation-probe: crashing on request)`);
    expect(text).toMatch(/the hub restarts it on the next call in \d+ s/);
    // The admin sees the crash and its stderr.
    const [crashed] = await processesOf(server);
    expect(crashed).toMatchObject({ state: "crashed", crashes: 1, pid: null });
    const logs = await apiOk("GET", `/api/worker/processes/${crashed?.id}/logs`);
    expect(logs.stderr).toContain("crashing on request");

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const back = await callJson(client, `${server}-whoami`);
    expect(back.uid).toBeDefined();
    const [restarted] = await processesOf(server);
    expect(restarted?.state).toBe("running");
    expect(restarted?.pid).not.toBe(before?.pid);
  } finally {
    await client.close();
  }
});

test("a changed configuration or credential restarts the person's process; the old one is gone", async () => {
  const person = await createPerson("change");
  const server = await probeFor([person], { env: { PROBE_TOKEN: "${USER_PROBE_TOKEN}", MODE: "one" } });
  await linkCredential(person, "PROBE_TOKEN", "first-value");
  const client = await clientFor(person.key);
  try {
    expect((await callJson(client, `${server}-whoami`)).env.MODE).toBe("one");
    const [first] = await processesOf(server);
    await apiOk("PATCH", `/api/v1/servers/${server}`, {
      body: { env: { PROBE_TOKEN: "${USER_PROBE_TOKEN}", MODE: "two" } },
    });
    expect((await callJson(client, `${server}-whoami`)).env.MODE).toBe("two");
    await waitFor(() => !alive(first?.pid as number), 5_000, "the old version's process to exit");
    const [second] = await processesOf(server);
    expect(second?.configVersion).toBe((first?.configVersion ?? 0) + 1);

    await linkCredential(person, "PROBE_TOKEN", "second-value");
    await waitFor(() => !alive(second?.pid as number), 5_000, "the process with the old credential to exit");
    expect((await callJson(client, `${server}-whoami`)).env.PROBE_TOKEN).toBe("second-value");
  } finally {
    await client.close();
  }
});

test("worker routes: list, start, logs, restart, stop; refused without a key and to non-admins", async () => {
  const person = await createPerson("worker");
  const server = await probeFor([person]);

  // Who may call: nobody without a key (401), no non-admin (403).
  for (const [method, route] of [
    ["GET", "/api/worker/processes"],
    ["POST", "/api/worker/processes"],
    ["DELETE", "/api/worker/processes/p000000000000"],
    ["POST", "/api/worker/processes/p000000000000/restart"],
    ["GET", "/api/worker/processes/p000000000000/logs"],
  ] as const) {
    expect((await api(method, route, { key: null })).status, `${method} ${route}`).toBe(401);
    const asUser = await api(method, route, { key: person.key, body: method === "POST" ? {} : undefined });
    expect(asUser.status, `${method} ${route}`).toBe(403);
  }

  // Bad input names the field and the fix.
  const bad = await api("POST", "/api/worker/processes", { body: { userId: "nobody", server } });
  expect(bad.status).toBe(422);
  expect(bad.body.error.fields.userId[0]).toContain("UUID");
  const notIsolated = await createServer("plain");
  const wrong = await api("POST", "/api/worker/processes", {
    body: { userId: person.id, server: notIsolated },
  });
  expect(wrong.status).toBe(422);
  expect(wrong.body.error.message).toContain('only stdio servers with isolation "process"');
  expect((await api("GET", "/api/worker/processes/p000000000000/logs")).status).toBe(404);

  const started = await apiOk("POST", "/api/worker/processes", { body: { userId: person.id, server } });
  expect(started).toMatchObject({ userId: person.id, userEmail: person.email, server, state: "running" });
  expect(started.pid).toBeGreaterThan(0);
  expect(started.memoryBytes).toBeGreaterThan(1_000_000);
  expect(alive(started.pid)).toBe(true);

  const list = await apiOk("GET", "/api/worker/processes");
  expect(list.sandbox.map((layer: { name: string }) => layer.name).sort()).toEqual([
    "cgroup",
    "limits",
    "namespaces",
    "uid",
  ]);
  expect(list.processes.find((p: { id: string }) => p.id === started.id)).toMatchObject({ state: "running" });

  const logs = await apiOk("GET", `/api/worker/processes/${started.id}/logs`);
  expect(logs.stderr).toContain("isolation-probe started");

  const restarted = await apiOk("POST", `/api/worker/processes/${started.id}/restart`, { status: 200 });
  expect(restarted.id).toBe(started.id);
  expect(restarted.pid).not.toBe(started.pid);
  await waitFor(() => !alive(started.pid), 5_000, "the restarted process's old pid to exit");

  // The person's call uses the restarted process.
  const client = await clientFor(person.key);
  try {
    await callJson(client, `${server}-whoami`);
  } finally {
    await client.close();
  }
  expect((await processesOf(server)).map((p) => p.pid)).toEqual([restarted.pid]);

  await apiOk("DELETE", `/api/worker/processes/${started.id}`);
  await waitFor(() => !alive(restarted.pid), 5_000, "the stopped process to exit");
  expect(await processesOf(server)).toEqual([]);
  expect((await api("DELETE", `/api/worker/processes/${started.id}`)).status).toBe(404);
});

test("health reports the sandbox layers", async () => {
  const health = await apiOk("GET", "/api/health", { key: null });
  expect(Object.keys(health.sandbox).sort()).toEqual(["cgroup", "limits", "namespaces", "uid"]);
  if (asRoot) expect(health.sandbox.uid).toBe(true);
});

test.describe("the filesystem server confined to ${MCPHUB_USER_HOME}", () => {
  test("each person writes in their own folder; outside paths, .. and a symlink out are refused", async () => {
    const [alice, bob] = await Promise.all([createPerson("fs-alice"), createPerson("fs-bob")]);
    const server = await probeFor([alice, bob], {
      command: "node",
      args: ["node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "${MCPHUB_USER_HOME}"],
      toolPrefix: "",
    });
    const a = await clientFor(alice.key);
    const b = await clientFor(bob.key);
    try {
      const allowed = async (client: typeof a) => {
        const result = await client.callTool({ name: "list_allowed_directories", arguments: {} });
        expect(result.isError).toBeFalsy();
        return (result.content as Array<{ text: string }>)[0]?.text ?? "";
      };
      const aliceHome = path.join(HUB_DATA_DIR, "homes", alice.id);
      const aliceAllowed = await allowed(a);
      expect(aliceAllowed).toContain(aliceHome);
      expect(await allowed(b)).not.toContain(aliceHome);
      expect(await processesOf(server)).toHaveLength(2);
      const home = aliceAllowed.match(/\/\S+/)?.[0] ?? "";
      expect(home.startsWith(`${aliceHome}/`)).toBe(true);

      const write = await a.callTool({
        name: "write_file",
        arguments: { path: path.join(home, "note.txt"), content: "mine" },
      });
      expect(write.isError).toBeFalsy();
      expect(readFileSync(path.join(home, "note.txt"), "utf8")).toBe("mine");

      const refusedText = async (client: typeof a, target: string) => {
        const result = await client.callTool({ name: "read_text_file", arguments: { path: target } });
        expect(result.isError, target).toBe(true);
        return (result.content as Array<{ text: string }>)[0]?.text ?? "";
      };
      expect(await refusedText(a, "/etc/hostname")).toMatch(/outside allowed directories|Access denied/i);
      expect(await refusedText(a, path.join(home, "..", "..", "secrets.json"))).toMatch(
        /outside allowed|Access denied/i,
      );
      // Bob's filesystem server refuses Alice's note: outside his folder.
      expect(await refusedText(b, path.join(home, "note.txt"))).toMatch(/outside allowed|Access denied/i);
      // A symlink in Alice's folder pointing out of it is refused too.
      symlinkSync("/etc", path.join(home, "escape"));
      expect(await refusedText(a, path.join(home, "escape", "hostname"))).toMatch(
        /outside allowed|Access denied|symlink/i,
      );
    } finally {
      await a.close();
      await b.close();
    }
  });
});
