import { expect, test } from "@playwright/test";
import {
  api,
  createServer,
  createTestedEverythingServer,
  expectStatus,
  remoteServer,
  unique,
} from "../support/api";

test.describe("group CRUD", () => {
  test("create, read, list, change and delete a group", async ({ request }) => {
    const [s1, s2] = [unique("gs"), unique("gs")];
    await createServer(request, remoteServer(s1));
    await createServer(request, remoteServer(s2, { riskLevel: "high" }));
    const name = unique("team");

    const created = await api(request, "POST", "/api/v1/groups", {
      body: { name, description: "For the team", servers: [s1] },
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      name,
      description: "For the team",
      visibility: "public",
      memberCount: 0,
      servers: [{ name: s1, tools: null, enabled: true, riskLevel: "medium", toolCount: null }],
    });

    const read = await api(request, "GET", `/api/v1/groups/${name}`);
    expectStatus(read, 200);
    expect(read.body).toEqual(created.body);

    const listed = await api(request, "GET", "/api/v1/groups");
    expectStatus(listed, 200);
    expect(listed.body.groups.find((g: { name: string }) => g.name === name)).toEqual(created.body);

    const changed = await api(request, "PATCH", `/api/v1/groups/${name}`, {
      body: { servers: [s2, s1], visibility: "restricted" },
    });
    expectStatus(changed, 200);
    expect(changed.body).toMatchObject({
      name,
      description: "For the team",
      visibility: "restricted",
      servers: [
        { name: s2, riskLevel: "high" },
        { name: s1, riskLevel: "medium" },
      ],
    });

    const renamed = await api(request, "PATCH", `/api/v1/groups/${name}`, {
      body: { name: `${name}-2`, description: "Renamed" },
    });
    expectStatus(renamed, 200);
    expect(renamed.body).toMatchObject({
      name: `${name}-2`,
      description: "Renamed",
      visibility: "restricted",
    });
    expectStatus(await api(request, "GET", `/api/v1/groups/${name}`), 404);

    expectStatus(await api(request, "DELETE", `/api/v1/groups/${name}-2`), 204);
    const gone = await api(request, "GET", `/api/v1/groups/${name}-2`);
    expectStatus(gone, 404);
    expect(gone.body.error).toEqual({ code: "not_found", message: `No group named ${name}-2` });
    expectStatus(await api(request, "DELETE", `/api/v1/groups/${name}-2`), 404);
    // The servers are untouched and free to delete now.
    expectStatus(await api(request, "DELETE", `/api/v1/servers/${s1}`), 204);
  });

  test("a group without servers is allowed", async ({ request }) => {
    const created = await api(request, "POST", "/api/v1/groups", { body: { name: unique("empty") } });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ visibility: "public", servers: [], description: null });
  });

  test("duplicate names are a 409 naming the field", async ({ request }) => {
    const name = unique("twice");
    expectStatus(await api(request, "POST", "/api/v1/groups", { body: { name } }), 201);
    const again = await api(request, "POST", "/api/v1/groups", { body: { name } });
    expectStatus(again, 409);
    expect(again.body.error).toEqual({
      code: "conflict",
      message: `A group named ${name} already exists`,
      fields: { name: ["This name is taken"] },
    });
    const other = unique("other");
    expectStatus(await api(request, "POST", "/api/v1/groups", { body: { name: other } }), 201);
    const clash = await api(request, "PATCH", `/api/v1/groups/${other}`, { body: { name } });
    expectStatus(clash, 409);
    expect(clash.body.error.fields).toEqual({ name: ["This name is taken"] });
  });

  test("validation errors answer 422 with the field", async ({ request }) => {
    const server = unique("vs");
    await createServer(request, remoteServer(server));
    const missing = unique("missing");
    const cases: Array<[body: Record<string, unknown>, field: string, message: string | RegExp]> = [
      [{ name: "has space" }, "name", /^Use 1-63 letters/],
      [{}, "name", "Name the group"],
      [{ name: unique("g"), visibility: "secret" }, "visibility", "visibility must be public or restricted"],
      [{ name: unique("g"), servers: "all" }, "servers", "servers must be a list of server names"],
      [{ name: unique("g"), servers: [missing] }, "servers", `No server named ${missing}`],
      [{ name: unique("g"), servers: [server, server] }, "servers", `${server} listed more than once`],
      [{ name: unique("g"), owner: "me" }, "body", /owner/],
    ];
    for (const [body, field, message] of cases) {
      const answer = await api(request, "POST", "/api/v1/groups", { body });
      expectStatus(answer, 422);
      const messages: string[] = answer.body.error.fields?.[field] ?? [];
      expect(
        typeof message === "string" ? messages.includes(message) : messages.some((m) => message.test(m)),
        `${JSON.stringify(body)} → ${JSON.stringify(answer.body.error)}`,
      ).toBe(true);
    }
  });
});

test.describe("critical servers", () => {
  test("are refused in a public group and allowed in a restricted one", async ({ request }) => {
    const critical = unique("critical");
    await createServer(request, remoteServer(critical, { riskLevel: "critical" }));
    const name = unique("crit");
    const refused = await api(request, "POST", "/api/v1/groups", {
      body: { name, servers: [critical], visibility: "public" },
    });
    expectStatus(refused, 422);
    expect(refused.body.error.fields).toEqual({
      visibility: [`${critical} is critical: critical servers belong in restricted groups only`],
    });
    expectStatus(await api(request, "GET", `/api/v1/groups/${name}`), 404);

    // Public is the default visibility, so leaving it out is refused the same way.
    expectStatus(await api(request, "POST", "/api/v1/groups", { body: { name, servers: [critical] } }), 422);

    const restricted = await api(request, "POST", "/api/v1/groups", {
      body: { name, servers: [critical], visibility: "restricted" },
    });
    expectStatus(restricted, 201);
    const opened = await api(request, "PATCH", `/api/v1/groups/${name}`, { body: { visibility: "public" } });
    expectStatus(opened, 422);
    expect(Object.keys(opened.body.error.fields)).toEqual(["visibility"]);
    expect((await api(request, "GET", `/api/v1/groups/${name}`)).body.visibility).toBe("restricted");
  });
});

test.describe("tool names and choices", () => {
  test("two servers with the same empty prefix and overlapping tools collide; choosing tools resolves it", async ({
    request,
  }) => {
    const [a, b] = [unique("bare-a"), unique("bare-b")];
    const [toolsA, toolsB] = await Promise.all([
      createTestedEverythingServer(request, a, { toolPrefix: "" }),
      createTestedEverythingServer(request, b, { toolPrefix: "" }),
    ]);
    expect(toolsA).toEqual(toolsB);
    expect(toolsA).toEqual(expect.arrayContaining(["echo", "get-sum"]));

    const name = unique("collide");
    const refused = await api(request, "POST", "/api/v1/groups", { body: { name, servers: [a, b] } });
    expectStatus(refused, 422);
    const [message] = refused.body.error.fields.servers as string[];
    expect(message).toMatch(/^These tool names would collide: /);
    expect(message).toContain(`echo (${a}/echo, ${b}/echo)`);
    expect(message).toContain(`get-sum (${a}/get-sum, ${b}/get-sum)`);
    expect(message).toContain("Give the servers different prefixes or choose fewer tools");
    expectStatus(await api(request, "GET", `/api/v1/groups/${name}`), 404);

    // Each server exposes different tools: no collision.
    const chosen = await api(request, "POST", "/api/v1/groups", {
      body: {
        name,
        servers: [
          { name: a, tools: ["echo"] },
          { name: b, tools: ["get-sum"] },
        ],
      },
    });
    expectStatus(chosen, 201);
    expect(chosen.body.servers).toMatchObject([
      { name: a, tools: ["echo"], toolCount: toolsA.length },
      { name: b, tools: ["get-sum"], toolCount: toolsB.length },
    ]);

    // Widening b to all of its tools would collide again, so the change is refused and nothing changes.
    const widened = await api(request, "PATCH", `/api/v1/groups/${name}`, {
      body: { servers: [{ name: a, tools: ["echo"] }, b] },
    });
    expectStatus(widened, 422);
    expect(widened.body.error.fields.servers[0]).toContain(`echo (${a}/echo, ${b}/echo)`);
    expect((await api(request, "GET", `/api/v1/groups/${name}`)).body.servers).toMatchObject([
      { name: a, tools: ["echo"] },
      { name: b, tools: ["get-sum"] },
    ]);

    // Giving one server a prefix resolves it as well.
    expectStatus(await api(request, "PATCH", `/api/v1/servers/${b}`, { body: { toolPrefix: "b" } }), 200);
    expectStatus(await api(request, "PATCH", `/api/v1/groups/${name}`, { body: { servers: [a, b] } }), 200);
  });

  test("servers with their default prefixes do not collide", async ({ request }) => {
    const [a, b] = [unique("pre-a"), unique("pre-b")];
    await Promise.all([createTestedEverythingServer(request, a), createTestedEverythingServer(request, b)]);
    const created = await api(request, "POST", "/api/v1/groups", {
      body: { name: unique("prefixed"), servers: [a, b] },
    });
    expectStatus(created, 201);
  });

  test("a tool the server does not have is refused, naming the server and tool", async ({ request }) => {
    const server = unique("choice");
    await createTestedEverythingServer(request, server);
    const refused = await api(request, "POST", "/api/v1/groups", {
      body: { name: unique("choice"), servers: [{ name: server, tools: ["echo", "no-such-tool"] }] },
    });
    expectStatus(refused, 422);
    expect(refused.body.error.fields).toEqual({
      [`servers.${server}`]: [`${server} has no tool no-such-tool`],
    });
    const group = unique("choice");
    const accepted = await api(request, "POST", "/api/v1/groups", {
      body: { name: group, servers: [{ name: server, tools: ["echo"] }] },
    });
    expectStatus(accepted, 201);
    expect(accepted.body.servers).toMatchObject([{ name: server, tools: ["echo"] }]);
    // `tools: null` goes back to all tools.
    const all = await api(request, "PATCH", `/api/v1/groups/${group}`, {
      body: { servers: [{ name: server, tools: null }] },
    });
    expectStatus(all, 200);
    expect(all.body.servers).toMatchObject([{ name: server, tools: null }]);
  });
});
