import { expect, test } from "@playwright/test";
import { api, createServer, createUserWithKey, expectStatus, remoteServer, unique } from "../support/api";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Every admin-only route, against real resources so a 403 cannot be a 404 in disguise. */
function adminRoutes(server: string, group: string, victimId: string, victimKeyId: string) {
  const routes: Array<[Method, string, unknown?]> = [
    ["GET", "/api/v1/servers"],
    ["POST", "/api/v1/servers", remoteServer(unique("sneaky"))],
    ["POST", "/api/v1/servers/test", remoteServer(unique("sneaky"))],
    ["GET", `/api/v1/servers/${server}`],
    ["PATCH", `/api/v1/servers/${server}`, { description: "hijacked" }],
    ["DELETE", `/api/v1/servers/${server}`],
    ["POST", `/api/v1/servers/${server}/test`],
    ["GET", "/api/v1/groups"],
    ["POST", "/api/v1/groups", { name: unique("sneaky") }],
    ["GET", `/api/v1/groups/${group}`],
    ["PATCH", `/api/v1/groups/${group}`, { visibility: "public" }],
    ["DELETE", `/api/v1/groups/${group}`],
    ["PUT", `/api/v1/groups/${group}/members/${victimId}`],
    ["DELETE", `/api/v1/groups/${group}/members/${victimId}`],
    ["POST", "/api/v1/settings/import", { mcpServers: { [unique("sneaky")]: { command: "sh" } } }],
    ["GET", "/api/v1/settings/export"],
    ["GET", "/api/v1/users"],
    ["POST", "/api/v1/users", { email: `${unique("sneaky")}@mcphub.test`, role: "admin" }],
    ["PATCH", `/api/v1/users/${victimId}`, { role: "admin" }],
    ["DELETE", `/api/v1/users/${victimId}`],
    ["GET", `/api/v1/users/${victimId}/keys`],
    ["POST", `/api/v1/users/${victimId}/keys`, { name: "sneaky" }],
    ["DELETE", `/api/v1/users/${victimId}/keys/${victimKeyId}`],
  ];
  return routes;
}

test.describe("authorization table", () => {
  test("a user with their own key gets 403 on every admin route, and nothing changes", async ({
    request,
  }) => {
    const [user, victim] = await Promise.all([createUserWithKey(request), createUserWithKey(request)]);
    const server = unique("guarded");
    const group = unique("guarded");
    await createServer(request, remoteServer(server));
    expectStatus(
      await api(request, "POST", "/api/v1/groups", {
        body: { name: group, servers: [server], visibility: "restricted" },
      }),
      201,
    );
    expectStatus(await api(request, "PUT", `/api/v1/groups/${group}/members/${victim.id}`), 204);

    for (const [method, path, body] of adminRoutes(server, group, victim.id, victim.keyId)) {
      const answer = await api(request, method, path, { key: user.key, body });
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(403);
      expect(answer.body.error).toEqual({ code: "forbidden", message: "This route is for admins only" });
    }

    const serverAfter = await api(request, "GET", `/api/v1/servers/${server}`);
    expectStatus(serverAfter, 200);
    expect(serverAfter.body.description).toBeUndefined();
    expect(serverAfter.body.configVersion).toBe(1);
    const groupAfter = await api(request, "GET", `/api/v1/groups/${group}`);
    expect(groupAfter.body).toMatchObject({ visibility: "restricted", memberCount: 1 });
    expect((await api(request, "GET", "/api/v1/me", { key: victim.key })).body.role).toBe("user");
    expect((await api(request, "GET", "/api/v1/me", { key: user.key })).body.role).toBe("user");
  });

  test("the admin gets through the same routes", async ({ request }) => {
    const victim = await createUserWithKey(request);
    const server = unique("open");
    const group = unique("open");
    await createServer(request, remoteServer(server));
    expectStatus(
      await api(request, "POST", "/api/v1/groups", { body: { name: group, servers: [server] } }),
      201,
    );
    for (const [method, path] of [
      ["GET", "/api/v1/servers"],
      ["GET", `/api/v1/servers/${server}`],
      ["GET", "/api/v1/groups"],
      ["GET", `/api/v1/groups/${group}`],
      ["GET", "/api/v1/settings/export"],
      ["GET", "/api/v1/users"],
      ["GET", `/api/v1/users/${victim.id}/keys`],
    ] as const) {
      expect((await api(request, method, path)).status, path).toBe(200);
    }
    expectStatus(await api(request, "PUT", `/api/v1/groups/${group}/members/${victim.id}`), 204);
  });

  test("anonymous callers and bad keys get 401 with WWW-Authenticate everywhere", async ({ request }) => {
    const routes: Array<[Method, string, unknown?]> = [
      ["GET", "/api/v1/me"],
      ["GET", "/api/v1/me/keys"],
      ["POST", "/api/v1/me/keys", { name: "k" }],
      ["DELETE", "/api/v1/me/keys/00000000-0000-4000-8000-000000000000"],
      ["GET", "/api/v1/me/groups"],
      ["PUT", "/api/v1/me/groups/anything", { active: true }],
      ["DELETE", "/api/v1/me/groups/anything"],
      ...adminRoutes(
        "s",
        "g",
        "00000000-0000-4000-8000-000000000000",
        "00000000-0000-4000-8000-000000000001",
      ),
    ];
    const badKeys: Array<string | null> = [
      null,
      "",
      "not-a-key",
      `mcphub_${"A".repeat(43)}`,
      `${"mcphub_"}${"A".repeat(42)}`,
    ];
    for (const key of badKeys) {
      for (const [method, path, body] of routes) {
        const answer = await api(request, method, path, { key, body });
        const label = `${method} ${path} with ${JSON.stringify(key)}`;
        expect(answer.status, label).toBe(401);
        expect(answer.body.error.code, label).toBe("unauthorized");
        expect(answer.body.error.message, label).toContain("/account/keys");
        expect(answer.headers["www-authenticate"], label).toBe('Bearer realm="mcphub"');
      }
    }
    // Other authorization schemes are not keys either.
    const basic = await api(request, "GET", "/api/v1/me", {
      key: null,
      headers: { Authorization: "Basic YWRtaW46YWRtaW4=" },
    });
    expectStatus(basic, 401);
  });

  test("a user cannot revoke another person's key (404), and the admin can", async ({ request }) => {
    const [owner, other] = await Promise.all([createUserWithKey(request), createUserWithKey(request)]);
    const attempt = await api(request, "DELETE", `/api/v1/me/keys/${owner.keyId}`, { key: other.key });
    expectStatus(attempt, 404);
    expect(attempt.body.error).toEqual({ code: "not_found", message: "No such active key" });
    expectStatus(await api(request, "GET", "/api/v1/me", { key: owner.key }), 200);

    // Nor through the admin's own-keys route: /me/keys is always the caller's own.
    expectStatus(await api(request, "DELETE", `/api/v1/me/keys/${owner.keyId}`), 404);
    expectStatus(await api(request, "GET", "/api/v1/me", { key: owner.key }), 200);

    // The admin lists the owner's keys and revokes one through the users route.
    const listed = await api(request, "GET", `/api/v1/users/${owner.id}/keys`);
    expectStatus(listed, 200);
    expect(listed.body.keys.map((k: { id: string }) => k.id)).toEqual([owner.keyId]);
    // The key must belong to the user in the path.
    expectStatus(await api(request, "DELETE", `/api/v1/users/${other.id}/keys/${owner.keyId}`), 404);
    expectStatus(await api(request, "DELETE", `/api/v1/users/not-a-uuid/keys/${owner.keyId}`), 404);
    expectStatus(await api(request, "GET", "/api/v1/me", { key: owner.key }), 200);

    expectStatus(await api(request, "DELETE", `/api/v1/users/${owner.id}/keys/${owner.keyId}`), 204);
    expectStatus(await api(request, "GET", "/api/v1/me", { key: owner.key }), 401);
    expectStatus(await api(request, "GET", "/api/v1/me", { key: other.key }), 200);
    expectStatus(await api(request, "DELETE", `/api/v1/users/${owner.id}/keys/${owner.keyId}`), 404);
  });

  test("a user cannot see or join a restricted group they are not in", async ({ request }) => {
    const user = await createUserWithKey(request);
    const group = unique("closed");
    expectStatus(
      await api(request, "POST", "/api/v1/groups", { body: { name: group, visibility: "restricted" } }),
      201,
    );
    const mine = await api(request, "GET", "/api/v1/me/groups", { key: user.key });
    expect(mine.body.groups.map((g: { name: string }) => g.name)).not.toContain(group);
    expectStatus(
      await api(request, "PUT", `/api/v1/me/groups/${group}`, { key: user.key, body: { active: true } }),
      404,
    );
    expectStatus(
      await api(request, "PUT", `/api/v1/groups/${group}/members/${user.id}`, { key: user.key }),
      403,
    );
    expect((await api(request, "GET", `/api/v1/groups/${group}`)).body.memberCount).toBe(0);
  });
});
