import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ADMIN, HUB_URL } from "../support/env";
import { api, apiOk, createPerson } from "../support/mcp";
import { actionState, builtActionId, callAction } from "../support/server-actions";
import { test as sessionTest, uniqueEmail } from "../support/session";

// Every administrative change leaves a row in the trail with who made it (GET
// /api/v1/audit/admin-events), whether made through the REST API or a portal form, and never a
// secret: not a value typed into a server's env or headers, not a password, not a key.

type Event = {
  id: string;
  at: string;
  actor: { id: string | null; email: string | null } | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  details: Record<string, unknown> | null;
};

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

async function trail(query: Record<string, string>): Promise<Event[]> {
  const body = await apiOk("GET", `/api/v1/audit/admin-events?${new URLSearchParams(query)}`);
  return body.events;
}

/** The trail of one target, oldest first (the API answers newest first). */
async function eventsFor(target: string): Promise<Event[]> {
  return (await trail({ target })).reverse();
}

const byAdmin = { actor: { id: expect.any(String), email: ADMIN.email } };

test("server changes through REST are in the trail with the admin, never a secret typed into env or headers", async () => {
  const name = unique("trail-srv");
  const envSecret = `env-secret-${randomBytes(12).toString("hex")}`;
  const headerSecret = `header-secret-${randomBytes(12).toString("hex")}`;
  const newSecret = `rotated-${randomBytes(12).toString("hex")}`;
  await apiOk("POST", "/api/v1/servers", {
    body: { name, type: "stdio", command: "node", args: ["--version"], env: { API_TOKEN: envSecret } },
  });
  await apiOk("PATCH", `/api/v1/servers/${name}`, {
    body: { env: { API_TOKEN: newSecret }, riskLevel: "high" },
    status: 200,
  });
  await apiOk("PATCH", `/api/v1/servers/${name}`, { body: { enabled: false }, status: 200 });
  await apiOk("PATCH", `/api/v1/servers/${name}`, { body: { enabled: true }, status: 200 });
  const remote = unique("trail-remote");
  await apiOk("POST", "/api/v1/servers", {
    body: {
      name: remote,
      type: "streamable-http",
      url: "http://127.0.0.1:9/mcp",
      headers: { Authorization: `Bearer ${headerSecret}` },
    },
  });
  await apiOk("PATCH", `/api/v1/servers/${remote}`, {
    body: { headers: { Authorization: `Bearer ${newSecret}` } },
    status: 200,
  });
  await apiOk("DELETE", `/api/v1/servers/${name}`);

  const events = await eventsFor(name);
  expect(events.map((e) => e.action)).toEqual([
    "server.create",
    "server.update",
    "server.disable",
    "server.enable",
    "server.delete",
  ]);
  for (const event of events)
    expect(event).toMatchObject({ ...byAdmin, targetType: "server", targetName: name });
  expect(events[0]?.details).toMatchObject({ name, type: "stdio", enabled: true });
  // The changed fields are named; the safe one (riskLevel) with its values, env only by name.
  expect(events[1]?.details).toEqual({
    changed: ["env", "riskLevel"],
    values: { riskLevel: { from: "medium", to: "high" } },
  });
  const remoteEvents = await eventsFor(remote);
  expect(remoteEvents.map((e) => e.action)).toEqual(["server.create", "server.update"]);
  expect(remoteEvents[1]?.details).toEqual({ changed: ["headers"] });

  const everything = JSON.stringify([...events, ...remoteEvents]);
  for (const secret of [envSecret, headerSecret, newSecret]) expect(everything).not.toContain(secret);
  // Nor in the trail's export of every server change.
  const csv = await fetch(`${HUB_URL}/api/v1/audit/admin-events?format=csv&action=server.`, {
    headers: { Authorization: `Bearer ${ADMIN.apiKey}` },
  });
  expect(csv.status).toBe(200);
  const text = await csv.text();
  expect(text).toContain(name);
  for (const secret of [envSecret, headerSecret, newSecret]) expect(text).not.toContain(secret);
});

test("group changes and restricted-group members are in the trail with the admin", async () => {
  const server = unique("trail-gsrv");
  await apiOk("POST", "/api/v1/servers", { body: { name: server, type: "stdio", command: "node" } });
  const group = unique("trail-grp");
  const renamed = unique("trail-grp2");
  const person = await createPerson("trail-member");
  await apiOk("POST", "/api/v1/groups", {
    body: { name: group, servers: [server], visibility: "restricted" },
  });
  await apiOk("PUT", `/api/v1/groups/${group}/members/${person.id}`, { status: 204 });
  // Adding someone twice changes nothing and leaves no second row.
  await apiOk("PUT", `/api/v1/groups/${group}/members/${person.id}`, { status: 204 });
  await apiOk("DELETE", `/api/v1/groups/${group}/members/${person.id}`);
  await apiOk("PATCH", `/api/v1/groups/${group}`, {
    body: { name: renamed, description: "ops" },
    status: 200,
  });
  await apiOk("DELETE", `/api/v1/groups/${renamed}`);

  const before = await eventsFor(group);
  const after = await eventsFor(renamed);
  expect(before.map((e) => e.action)).toEqual(["group.create", "group.member.add", "group.member.remove"]);
  expect(after.map((e) => e.action)).toEqual(["group.update", "group.delete"]);
  for (const event of [...before, ...after]) expect(event).toMatchObject({ ...byAdmin, targetType: "group" });
  expect(before[0]?.details).toMatchObject({ name: group, visibility: "restricted", servers: [server] });
  expect(before[1]?.details).toEqual({ userId: person.id, email: person.email });
  expect(before[2]?.details).toEqual({ userId: person.id, email: person.email });
  expect(after[0]?.details).toEqual({
    changed: ["description", "name"],
    values: { description: { from: null, to: "ops" }, name: { from: group, to: renamed } },
  });
  // The same group is found by its id whatever it was called.
  const byId = await trail({ target: before[0]?.targetId ?? "" });
  expect(byId).toHaveLength(5);
});

test("user changes and keys made for someone else are in the trail, never a password or a key", async () => {
  const email = uniqueEmail("trail-user");
  const password = `pw-${randomBytes(12).toString("hex")}`;
  const newPassword = `pw2-${randomBytes(12).toString("hex")}`;
  const user = await apiOk("POST", "/api/v1/users", { body: { email, password, role: "user" } });
  await apiOk("PATCH", `/api/v1/users/${user.id}`, { body: { role: "admin" }, status: 200 });
  await apiOk("PATCH", `/api/v1/users/${user.id}`, { body: { disabled: true }, status: 200 });
  await apiOk("PATCH", `/api/v1/users/${user.id}`, {
    body: { disabled: false, password: newPassword },
    status: 200,
  });
  const key = await apiOk("POST", `/api/v1/users/${user.id}/keys`, { body: { name: "trail laptop" } });
  await apiOk("DELETE", `/api/v1/users/${user.id}/keys/${key.id}`);
  await apiOk("DELETE", `/api/v1/users/${user.id}`);

  const userEvents = await eventsFor(email);
  expect(userEvents.map((e) => e.action)).toEqual([
    "user.create",
    "user.update",
    "user.disable",
    "user.update",
    "user.delete",
  ]);
  for (const event of userEvents)
    expect(event).toMatchObject({ ...byAdmin, targetType: "user", targetId: user.id });
  expect(userEvents[0]?.details).toEqual({ role: "user", password: true });
  expect(userEvents[1]?.details).toEqual({
    changed: ["role"],
    values: { role: { from: "user", to: "admin" } },
  });
  expect(userEvents[3]?.details).toEqual({
    changed: ["disabled", "password"],
    values: { disabled: { from: true, to: false } },
  });

  const keyEvents = (await trail({ target: key.id })).reverse();
  expect(keyEvents.map((e) => e.action)).toEqual(["key.create", "key.revoke"]);
  for (const event of keyEvents) expect(event).toMatchObject({ ...byAdmin, targetType: "key" });
  expect(keyEvents[0]?.details).toMatchObject({ userId: user.id, email, partialKey: key.partialKey });

  const everything = JSON.stringify([...userEvents, ...keyEvents]);
  for (const secret of [password, newPassword, key.key]) expect(everything).not.toContain(secret);
});

test("an import is one row with the counts per kind and outcome, without the servers' secrets", async () => {
  const secret = `imported-secret-${randomBytes(12).toString("hex")}`;
  const a = unique("trail-imp-a");
  const b = unique("trail-imp-b");
  const group = unique("trail-imp-g");
  const report = await apiOk("POST", "/api/v1/settings/import", {
    status: 200,
    body: {
      mcpServers: {
        [a]: { command: "node", args: ["--version"], env: { TOKEN: secret } },
        [b]: { type: "sse" },
      },
      groups: [{ name: group, servers: [a] }],
    },
  });
  expect(JSON.stringify(report)).toContain("refused");
  const [event] = (await trail({ action: "settings.import", actor: ADMIN.email })).filter((e) =>
    JSON.stringify(e.details).includes(a),
  );
  expect(event).toMatchObject({ ...byAdmin, action: "settings.import", targetType: "settings" });
  expect(event?.details).toEqual({
    counts: {
      server: { created: 1, updated: 0, unchanged: 0, refused: 1 },
      group: { created: 1, updated: 0, unchanged: 0, refused: 0 },
    },
    created: [`server:${a}`, `group:${group}`],
    refused: [`server:${b}`],
  });
  // No row per imported entry: the file is one change.
  expect(await eventsFor(a)).toEqual([]);
  expect(JSON.stringify(event)).not.toContain(secret);
});

test("retention: set through REST and recorded; bad values are refused naming days", async () => {
  const before = await apiOk("GET", "/api/v1/settings/retention");
  expect(before).toMatchObject({
    days: expect.any(Number),
    source: expect.stringMatching(/^(setting|default)$/),
  });
  const days = 1000 + Math.floor(Math.random() * 2000);
  expect(await apiOk("PUT", "/api/v1/settings/retention", { body: { days }, status: 200 })).toEqual({
    days,
    source: "setting",
  });
  // Other tests may set the retention at the same time: find this change by its value.
  const events = await trail({ action: "settings.retention", actor: ADMIN.email });
  const event = events.find((e) => JSON.stringify(e.details).includes(`"to":${days}`));
  expect(event).toMatchObject({ ...byAdmin, targetType: "settings", details: { changed: ["days"] } });

  for (const body of [{ days: 0 }, { days: 3651 }, { days: 1.5 }, { days: "ninety" }, {}]) {
    const answer = await api("PUT", "/api/v1/settings/retention", { body });
    expect(answer.status, JSON.stringify(body)).toBe(422);
    expect(answer.body.error.fields.days, JSON.stringify(body)).toEqual([
      "Keep the audit log for a whole number of days from 1 to 3650, such as 90",
    ]);
  }
  const extra = await api("PUT", "/api/v1/settings/retention", { body: { days: 90, weeks: 2 } });
  expect(extra.status).toBe(422);
  expect(JSON.stringify(extra.body.error.fields)).toContain("weeks");
});

sessionTest(
  "a change made through a portal form is in the trail with the admin who made it",
  async ({ signInAs }) => {
    const session = await signInAs({ email: ADMIN.email, password: ADMIN.password });
    const email = uniqueEmail("trail-form");
    const form = new FormData();
    form.append("email", email);
    form.append("name", "Form Person");
    form.append("role", "user");
    form.append("password", "");
    const answer = await callAction(
      session,
      "/admin/users",
      builtActionId("app/admin/users/actions.ts", "createUserAction"),
      [{ status: "idle" }, form],
    );
    expect(await actionState(answer)).toMatchObject({ status: "success" });
    const [event] = await trail({ target: email });
    expect(event).toMatchObject({
      ...byAdmin,
      action: "user.create",
      targetName: email,
      details: { role: "user", password: false },
    });
  },
);
