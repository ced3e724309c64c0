import { randomUUID } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { ADMIN } from "../support/env";
import { startOwnHub } from "../support/own-hub";
import {
  bearer,
  createUser,
  expect,
  findUser,
  type ListedUser,
  signIn,
  test,
  uniqueEmail,
} from "../support/session";

type ApiError = { error: { code: string; message: string; fields?: Record<string, string[]> } };

async function expectError(response: APIResponse, status: number, code: string): Promise<ApiError["error"]> {
  expect(response.status(), await response.text()).toBe(status);
  const body = (await response.json()) as ApiError;
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
}

test("an admin creates, lists, changes and deletes a user through the REST API", async ({
  request,
  newVisitor,
}) => {
  const email = uniqueEmail("crud");
  const created = await request.post("/api/v1/users", {
    headers: bearer(),
    data: {
      email: `  ${email.toUpperCase()} `,
      name: "Ada Lovelace",
      password: "first-password",
      role: "user",
    },
  });
  expect(created.status()).toBe(201);
  const user = (await created.json()) as ListedUser & Record<string, unknown>;
  // Stored trimmed and lower-cased, so the person signs in however they type it.
  expect(user).toMatchObject({ email, name: "Ada Lovelace", role: "user", disabled: false });
  expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(Object.keys(user).join(",")).not.toMatch(/password|hash/i);

  const listed = await request.get("/api/v1/users", { headers: bearer() });
  expect(listed.status()).toBe(200);
  const { users } = (await listed.json()) as { users: Record<string, unknown>[] };
  expect(users.find((entry) => entry.id === user.id)).toMatchObject({ email, role: "user" });
  expect(users.find((entry) => entry.email === ADMIN.email)).toMatchObject({ role: "admin" });
  expect(JSON.stringify(users)).not.toMatch(/passwordHash|argon2/);

  const changed = await request.patch(`/api/v1/users/${user.id}`, {
    headers: bearer(),
    data: { name: "Countess of Lovelace", role: "admin", password: "second-password" },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  expect(await changed.json()).toMatchObject({ id: user.id, name: "Countess of Lovelace", role: "admin" });
  expect(await findUser(request, user.id)).toMatchObject({ role: "admin", name: "Countess of Lovelace" });

  // The new password replaced the old one.
  expect((await signIn(await newVisitor(), email, "first-password")).signedIn).toBe(false);
  expect((await signIn(await newVisitor(), email, "second-password")).signedIn).toBe(true);

  const disabled = await request.patch(`/api/v1/users/${user.id}`, {
    headers: bearer(),
    data: { disabled: true },
  });
  expect(await disabled.json()).toMatchObject({ disabled: true, role: "admin" });

  const deleted = await request.delete(`/api/v1/users/${user.id}`, { headers: bearer() });
  expect(deleted.status()).toBe(204);
  expect(await findUser(request, user.id)).toBeUndefined();
  await expectError(
    await request.delete(`/api/v1/users/${user.id}`, { headers: bearer() }),
    404,
    "not_found",
  );
});

test("creating a user without a password or role makes a user who signs in through a provider", async ({
  request,
  newVisitor,
}) => {
  const email = uniqueEmail("sso");
  const created = await request.post("/api/v1/users", { headers: bearer(), data: { email } });
  expect(created.status()).toBe(201);
  expect(await created.json()).toMatchObject({ email, role: "user", name: null });
  // No password was set, so no password opens the account.
  expect((await signIn(await newVisitor(), email, "")).signedIn).toBe(false);
  expect((await signIn(await newVisitor(), email, "any-password-at-all")).signedIn).toBe(false);
});

const badCreates: { name: string; body: Record<string, unknown>; field: string; says: RegExp }[] = [
  {
    name: "an invalid email",
    body: { email: "ada.example.com" },
    field: "email",
    says: /valid email.*such as/i,
  },
  { name: "a missing email", body: { role: "user" }, field: "email", says: /enter an email/i },
  {
    name: "a short password",
    body: { email: uniqueEmail("short"), password: "seven77" },
    field: "password",
    says: /at least 8 characters/i,
  },
  {
    name: "an unknown role",
    body: { email: uniqueEmail("role"), role: "owner" },
    field: "role",
    says: /admin or user/i,
  },
];

for (const bad of badCreates) {
  test(`creating a user with ${bad.name} is refused with a message on the ${bad.field} field`, async ({
    request,
  }) => {
    const error = await expectError(
      await request.post("/api/v1/users", { headers: bearer(), data: bad.body }),
      422,
      "validation_failed",
    );
    expect(Object.keys(error.fields ?? {})).toEqual([bad.field]);
    expect(error.fields?.[bad.field]?.join(" ")).toMatch(bad.says);
    // The summary names the field too, for clients that only print the message.
    expect(error.message).toContain(`${bad.field}:`);
    expect(error.message).toMatch(bad.says);
    const { users } = (await (await request.get("/api/v1/users", { headers: bearer() })).json()) as {
      users: { email: string }[];
    };
    expect(users.some((user) => user.email === bad.body.email)).toBe(false);
  });
}

test("a duplicate email is a 409 on the email field, whatever its case", async ({ request }) => {
  const existing = await createUser(request);
  const error = await expectError(
    await request.post("/api/v1/users", {
      headers: bearer(),
      data: { email: existing.email.toUpperCase(), password: "another-password" },
    }),
    409,
    "conflict",
  );
  expect(error.message).toContain(existing.email);
  expect(error.message).toMatch(/already exists/);
  expect(error.fields?.email?.join(" ")).toMatch(/already in use/);
});

test("two admins creating the same email at once get one user and one 409", async ({ request }) => {
  const email = uniqueEmail("race");
  const responses = await Promise.all(
    [1, 2, 3].map(() =>
      request.post("/api/v1/users", { headers: bearer(), data: { email, password: "race-password" } }),
    ),
  );
  expect(responses.map((response) => response.status()).sort()).toEqual([201, 409, 409]);
});

test("a body that is not JSON, or not sent as JSON, is a 400 that says how to send it", async ({
  request,
}) => {
  const target = await createUser(request);
  for (const [method, url] of [
    ["post", "/api/v1/users"],
    ["patch", `/api/v1/users/${target.id}`],
  ] as const) {
    const notJson = await expectError(
      await request[method](url, {
        headers: { ...bearer(), "content-type": "application/json" },
        // A Buffer goes out as it is; Playwright would JSON-encode a string.
        data: Buffer.from('{"email": "ada@example.com",'),
      }),
      400,
      "bad_request",
    );
    expect(notJson.message).toMatch(/not valid JSON/);

    const wrongType = await expectError(
      await request[method](url, {
        headers: { ...bearer(), "content-type": "text/plain" },
        data: JSON.stringify({ email: uniqueEmail("plain"), role: "admin" }),
      }),
      400,
      "bad_request",
    );
    expect(wrongType.message).toContain("Content-Type: application/json");

    const form = await expectError(
      await request[method](url, { headers: bearer(), form: { email: uniqueEmail("form"), role: "admin" } }),
      400,
      "bad_request",
    );
    expect(form.message).toContain("application/json");
  }
  expect(await findUser(request, target.id)).toMatchObject({ role: "user", disabled: false });
});

test("changing a user with bad input is refused field by field, and changes nothing", async ({ request }) => {
  const target = await createUser(request);
  const cases: { body: Record<string, unknown>; field: string; says: RegExp }[] = [
    { body: { role: "superuser" }, field: "role", says: /admin or user/ },
    { body: { disabled: "yes" }, field: "disabled", says: /true or false/ },
    { body: { password: "short" }, field: "password", says: /at least 8 characters/ },
  ];
  for (const bad of cases) {
    const error = await expectError(
      await request.patch(`/api/v1/users/${target.id}`, { headers: bearer(), data: bad.body }),
      422,
      "validation_failed",
    );
    expect(error.fields?.[bad.field]?.join(" "), JSON.stringify(error)).toMatch(bad.says);
  }
  // A misspelt field is refused rather than silently ignored.
  const unknown = await expectError(
    await request.patch(`/api/v1/users/${target.id}`, { headers: bearer(), data: { admin: true } }),
    422,
    "validation_failed",
  );
  expect(unknown.message).toContain("admin");
  expect(await findUser(request, target.id)).toMatchObject({ role: "user", disabled: false });
});

test("an unknown or malformed user id is a 404 that names the id", async ({ request }) => {
  const unknownId = randomUUID();
  for (const id of [unknownId, "not-a-uuid", "42"]) {
    const patched = await expectError(
      await request.patch(`/api/v1/users/${id}`, { headers: bearer(), data: { role: "user" } }),
      404,
      "not_found",
    );
    expect(patched.message).toContain(id);
    const deleted = await expectError(
      await request.delete(`/api/v1/users/${id}`, { headers: bearer() }),
      404,
      "not_found",
    );
    expect(deleted.message).toContain(id);
  }
  // A malformed id is told apart from a missing user: the message says what an id looks like.
  const malformed = await expectError(
    await request.delete("/api/v1/users/ada@example.com", { headers: bearer() }),
    404,
    "not_found",
  );
  expect(malformed.message).toMatch(/GET \/api\/v1\/users/);
});

test("an admin cannot delete their own account", async ({ request, signInAs }) => {
  const admin = await createUser(request, { role: "admin" });
  const session = await signInAs(admin);
  const error = await expectError(await session.delete(`/api/v1/users/${admin.id}`), 409, "conflict");
  expect(error.message).toMatch(/your own account/);
  expect(error.message).toMatch(/another admin/);
  expect(await findUser(request, admin.id)).toMatchObject({ role: "admin", disabled: false });
});

test.describe("the last admin, on a hub of its own", () => {
  test.describe.configure({ timeout: 120_000 });

  test("the only active admin cannot be demoted, disabled or deleted, until there is another", async ({
    playwright,
  }, testInfo) => {
    // On the shared hub parallel tests add admins at any time; only a fresh hub has exactly one.
    const hub = await startOwnHub("last-admin", 0, testInfo.parallelIndex);
    const api = await playwright.request.newContext({ baseURL: hub.url, extraHTTPHeaders: bearer() });
    try {
      const me = (await (await api.get("/api/v1/me")).json()) as { id: string };
      const demote = await expectError(
        await api.patch(`/api/v1/users/${me.id}`, { data: { role: "user" } }),
        409,
        "conflict",
      );
      expect(demote.message).toMatch(/only active admin.*make another person admin first/);
      const disable = await expectError(
        await api.patch(`/api/v1/users/${me.id}`, { data: { disabled: true } }),
        409,
        "conflict",
      );
      expect(disable.message).toMatch(/make another person admin first/);
      await expectError(await api.delete(`/api/v1/users/${me.id}`), 409, "conflict");
      expect(await findUser(api, me.id)).toMatchObject({ role: "admin", disabled: false });

      // A disabled admin does not count: they cannot act.
      const dormant = await createUser(api, { role: "admin" });
      expect((await api.patch(`/api/v1/users/${dormant.id}`, { data: { disabled: true } })).status()).toBe(
        200,
      );
      await expectError(
        await api.patch(`/api/v1/users/${me.id}`, { data: { role: "user" } }),
        409,
        "conflict",
      );

      // Once a second active admin exists, either may step down, and then the other is the last.
      const second = await createUser(api, { role: "admin" });
      const stepDown = await api.patch(`/api/v1/users/${me.id}`, { data: { role: "user" } });
      expect(stepDown.status(), await stepDown.text()).toBe(200);
      const secondSession = await playwright.request.newContext({ baseURL: hub.url });
      try {
        expect((await signIn(secondSession, second.email, second.password)).signedIn).toBe(true);
        await expectError(
          await secondSession.patch(`/api/v1/users/${second.id}`, { data: { disabled: true } }),
          409,
          "conflict",
        );
        const remaining = await expectError(
          await secondSession.delete(`/api/v1/users/${second.id}`),
          409,
          "conflict",
        );
        expect(remaining.message).toMatch(/your own account|only active admin/);

        // Two admins demoting each other at once, each fine alone, must not leave the hub without one.
        const third = await createUser(secondSession, { role: "admin", key: null });
        const thirdSession = await playwright.request.newContext({ baseURL: hub.url });
        try {
          expect((await signIn(thirdSession, third.email, third.password)).signedIn).toBe(true);
          const [secondDemotesThird, thirdDemotesSecond] = await Promise.all([
            secondSession.patch(`/api/v1/users/${third.id}`, { data: { role: "user" } }),
            thirdSession.patch(`/api/v1/users/${second.id}`, { data: { role: "user" } }),
          ]);
          const statuses = [secondDemotesThird.status(), thirdDemotesSecond.status()];
          // The loser is refused as the last admin (409), or, if it came second, as no admin any more (403).
          expect(
            statuses.filter((status) => status === 200),
            String(statuses),
          ).toHaveLength(1);
          const survivor = secondDemotesThird.ok() ? secondSession : thirdSession;
          const { users } = (await (await survivor.get("/api/v1/users")).json()) as { users: ListedUser[] };
          expect(users.filter((user) => user.role === "admin" && !user.disabled)).toHaveLength(1);
        } finally {
          await thirdSession.dispose();
        }
      } finally {
        await secondSession.dispose();
      }
    } finally {
      await api.dispose();
      await hub.stop();
    }
  });
});
