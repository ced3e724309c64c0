import { type APIRequestContext, expect, test } from "@playwright/test";
import { api, createUserWithKey, expectStatus, type TestUser, unique } from "../support/api";

type MyGroup = { name: string; member: boolean; active: boolean; visibility: string; servers: string[] };

async function myGroups(request: APIRequestContext, user: TestUser): Promise<MyGroup[]> {
  const answer = await api(request, "GET", "/api/v1/me/groups", { key: user.key });
  expectStatus(answer, 200);
  return answer.body.groups;
}

async function myGroup(request: APIRequestContext, user: TestUser, name: string) {
  return (await myGroups(request, user)).find((g) => g.name === name);
}

async function createGroup(request: APIRequestContext, body: Record<string, unknown>) {
  expectStatus(await api(request, "POST", "/api/v1/groups", { body }), 201);
}

test.describe("public groups", () => {
  test("a user joins, deactivates, reactivates and leaves a public group", async ({ request }) => {
    const user = await createUserWithKey(request);
    const name = unique("open");
    await createGroup(request, { name, description: "Anyone may join" });

    expect(await myGroup(request, user, name)).toEqual({
      name,
      description: "Anyone may join",
      visibility: "public",
      member: false,
      active: false,
      servers: [],
    });

    const joined = await api(request, "PUT", `/api/v1/me/groups/${name}`, {
      key: user.key,
      body: { active: true },
    });
    expectStatus(joined, 200);
    expect(joined.body).toEqual({ name, member: true, active: true });
    expect(await myGroup(request, user, name)).toMatchObject({ member: true, active: true });
    expect((await api(request, "GET", `/api/v1/groups/${name}`)).body.memberCount).toBe(1);

    const off = await api(request, "PUT", `/api/v1/me/groups/${name}`, {
      key: user.key,
      body: { active: false },
    });
    expectStatus(off, 200);
    expect(off.body).toEqual({ name, member: true, active: false });
    expect(await myGroup(request, user, name)).toMatchObject({ member: true, active: false });

    const on = await api(request, "PUT", `/api/v1/me/groups/${name}`, {
      key: user.key,
      body: { active: true },
    });
    expect(on.body).toEqual({ name, member: true, active: true });

    expectStatus(await api(request, "DELETE", `/api/v1/me/groups/${name}`, { key: user.key }), 204);
    expect(await myGroup(request, user, name)).toMatchObject({ member: false, active: false });
    expect((await api(request, "GET", `/api/v1/groups/${name}`)).body.memberCount).toBe(0);
  });

  test("one person's membership does not show up as another's", async ({ request }) => {
    const [ada, bob] = await Promise.all([createUserWithKey(request), createUserWithKey(request)]);
    const name = unique("shared");
    await createGroup(request, { name });
    await api(request, "PUT", `/api/v1/me/groups/${name}`, { key: ada.key, body: { active: true } });
    expect(await myGroup(request, ada, name)).toMatchObject({ member: true, active: true });
    expect(await myGroup(request, bob, name)).toMatchObject({ member: false, active: false });
  });

  test("a bad body is a 422 naming the field", async ({ request }) => {
    const user = await createUserWithKey(request);
    const name = unique("body");
    await createGroup(request, { name });
    for (const body of [{}, { active: "yes" }, { active: null }]) {
      const answer = await api(request, "PUT", `/api/v1/me/groups/${name}`, { key: user.key, body });
      expectStatus(answer, 422);
      expect(answer.body.error.fields.active, JSON.stringify(body)).toEqual(["active must be true or false"]);
    }
    expect(await myGroup(request, user, name)).toMatchObject({ member: false });
  });
});

test.describe("restricted groups", () => {
  test("answer 404 exactly like a nonexistent group until an admin adds the person", async ({ request }) => {
    const user = await createUserWithKey(request);
    const secret = unique("secret");
    const nowhere = unique("nowhere");
    await createGroup(request, { name: secret, visibility: "restricted", description: "Need to know" });

    expect(await myGroup(request, user, secret)).toBeUndefined();

    // Every way in answers the same as for a group that does not exist (the name aside).
    const same = (
      answer: { status: number; body: { error: { code: string; message: string } } },
      name: string,
    ) => ({
      status: answer.status,
      code: answer.body.error.code,
      message: answer.body.error.message.replaceAll(name, "<name>"),
    });
    for (const [method, body] of [
      ["PUT", { active: true }],
      ["PUT", { active: false }],
      ["DELETE", undefined],
    ] as const) {
      const restricted = await api(request, method, `/api/v1/me/groups/${secret}`, { key: user.key, body });
      const missing = await api(request, method, `/api/v1/me/groups/${nowhere}`, { key: user.key, body });
      expect(restricted.status, `${method} ${JSON.stringify(body)}`).toBe(404);
      expect(same(restricted, secret)).toEqual(same(missing, nowhere));
    }
    expect(await myGroup(request, user, secret)).toBeUndefined();
    expect((await api(request, "GET", `/api/v1/groups/${secret}`)).body.memberCount).toBe(0);

    const added = await api(request, "PUT", `/api/v1/groups/${secret}/members/${user.id}`);
    expectStatus(added, 204);
    // Adding twice is harmless.
    expectStatus(await api(request, "PUT", `/api/v1/groups/${secret}/members/${user.id}`), 204);
    expect(await myGroup(request, user, secret)).toEqual({
      name: secret,
      description: "Need to know",
      visibility: "restricted",
      member: true,
      active: true,
      servers: [],
    });

    const off = await api(request, "PUT", `/api/v1/me/groups/${secret}`, {
      key: user.key,
      body: { active: false },
    });
    expectStatus(off, 200);
    expect(off.body).toEqual({ name: secret, member: true, active: false });
    const on = await api(request, "PUT", `/api/v1/me/groups/${secret}`, {
      key: user.key,
      body: { active: true },
    });
    expect(on.body).toEqual({ name: secret, member: true, active: true });

    // Members cannot remove themselves from a restricted group: admins manage it.
    const leave = await api(request, "DELETE", `/api/v1/me/groups/${secret}`, { key: user.key });
    expectStatus(leave, 403);
    expect(leave.body.error.message).toBe("Restricted groups are managed by admins: ask one to remove you");

    expectStatus(await api(request, "DELETE", `/api/v1/groups/${secret}/members/${user.id}`), 204);
    expect(await myGroup(request, user, secret)).toBeUndefined();
    expectStatus(
      await api(request, "PUT", `/api/v1/me/groups/${secret}`, { key: user.key, body: { active: true } }),
      404,
    );
    const again = await api(request, "DELETE", `/api/v1/groups/${secret}/members/${user.id}`);
    expectStatus(again, 404);
    expect(again.body.error.message).toBe("That person is not a member of this group");
  });

  test("an admin adding an unknown person or to an unknown group gets 404", async ({ request }) => {
    const user = await createUserWithKey(request);
    const group = unique("members");
    await createGroup(request, { name: group, visibility: "restricted" });
    for (const path of [
      `/api/v1/groups/${group}/members/00000000-0000-4000-8000-000000000000`,
      `/api/v1/groups/${group}/members/not-a-uuid`,
      `/api/v1/groups/${unique("none")}/members/${user.id}`,
    ]) {
      expectStatus(await api(request, "PUT", path), 404);
      expectStatus(await api(request, "DELETE", path), 404);
    }
  });

  test("an admin can add a person to a public group too", async ({ request }) => {
    const user = await createUserWithKey(request);
    const group = unique("assigned");
    await createGroup(request, { name: group });
    expectStatus(await api(request, "PUT", `/api/v1/groups/${group}/members/${user.id}`), 204);
    expect(await myGroup(request, user, group)).toMatchObject({ member: true, active: true });
  });
});
