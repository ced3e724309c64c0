import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { api, createUserWithKey, expectStatus, timeUntil, unique } from "../support/api";

test.describe("keys through /api/v1/me/keys", () => {
  test("a new key is shown once; the list holds only its hint; it works for GET /api/v1/me", async ({
    request,
  }) => {
    const user = await createUserWithKey(request);
    const name = unique("laptop");
    const created = await api(request, "POST", "/api/v1/me/keys", { key: user.key, body: { name } });
    expectStatus(created, 201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const { key, id } = created.body;
    expect(key).toMatch(/^mcphub_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      name,
      partialKey: `mcphub_…${key.slice(-4)}`,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(created.body).not.toHaveProperty("hashedKey");

    const listed = await api(request, "GET", "/api/v1/me/keys", { key: user.key });
    expectStatus(listed, 200);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice("mcphub_".length, -4));
    expect(text).not.toContain(createHash("sha256").update(key).digest("hex"));
    const entry = listed.body.keys.find((k: { id: string }) => k.id === id);
    expect(Object.keys(entry).sort()).toEqual(
      ["createdAt", "expiresAt", "id", "lastUsedAt", "name", "partialKey", "revokedAt"].sort(),
    );
    expect(entry).toMatchObject({ name, partialKey: `mcphub_…${key.slice(-4)}` });
    // Newest first: the new key before the one the test set-up created.
    expect(listed.body.keys.map((k: { id: string }) => k.id)).toEqual([id, user.keyId]);

    const me = await api(request, "GET", "/api/v1/me", { key });
    expectStatus(me, 200);
    expect(me.body).toEqual({ id: user.id, email: user.email, name: null, role: "user" });

    // Using the key records when it was last used (written off the request's path).
    const recorded = await timeUntil(async () => {
      const keys = (await api(request, "GET", "/api/v1/me/keys", { key: user.key })).body.keys;
      return keys.find((k: { id: string }) => k.id === id)?.lastUsedAt !== null;
    }, 5_000);
    expect(recorded).toBeLessThan(Number.POSITIVE_INFINITY);

    // Another user's list does not show it.
    const other = await createUserWithKey(request);
    const theirs = await api(request, "GET", "/api/v1/me/keys", { key: other.key });
    expect(theirs.body.keys.map((k: { id: string }) => k.id)).toEqual([other.keyId]);
  });

  test("a revoked key is refused within one second", async ({ request }) => {
    const user = await createUserWithKey(request);
    const created = await api(request, "POST", "/api/v1/me/keys", {
      key: user.key,
      body: { name: "doomed" },
    });
    const { key, id } = created.body;
    // Warm the key cache, so the revocation has to get past it.
    for (let i = 0; i < 3; i++) expectStatus(await api(request, "GET", "/api/v1/me", { key }), 200);

    expectStatus(await api(request, "DELETE", `/api/v1/me/keys/${id}`, { key: user.key }), 204);
    const took = await timeUntil(
      async () => (await api(request, "GET", "/api/v1/me", { key })).status === 401,
      2_000,
    );
    expect(took).toBeLessThanOrEqual(1_000);

    const listed = await api(request, "GET", "/api/v1/me/keys", { key: user.key });
    const entry = listed.body.keys.find((k: { id: string }) => k.id === id);
    expect(Date.parse(entry.revokedAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await api(request, "DELETE", `/api/v1/me/keys/${id}`, { key: user.key });
    expectStatus(again, 404);
    expect(again.body.error.message).toBe("No such active key");
    expectStatus(await api(request, "DELETE", "/api/v1/me/keys/not-a-uuid", { key: user.key }), 404);
    // The user's other key still works.
    expectStatus(await api(request, "GET", "/api/v1/me", { key: user.key }), 200);
  });

  test("a key can revoke itself", async ({ request }) => {
    const user = await createUserWithKey(request);
    expectStatus(await api(request, "DELETE", `/api/v1/me/keys/${user.keyId}`, { key: user.key }), 204);
    const took = await timeUntil(
      async () => (await api(request, "GET", "/api/v1/me", { key: user.key })).status === 401,
      2_000,
    );
    expect(took).toBeLessThanOrEqual(1_000);
  });

  test("an expired key is refused", async ({ request }) => {
    const user = await createUserWithKey(request);
    const expiresAt = new Date(Date.now() + 2_500);
    const created = await api(request, "POST", "/api/v1/me/keys", {
      key: user.key,
      body: { name: "short-lived", expiresAt: expiresAt.toISOString() },
    });
    expectStatus(created, 201);
    expect(Date.parse(created.body.expiresAt)).toBe(expiresAt.getTime());
    const { key } = created.body;
    expectStatus(await api(request, "GET", "/api/v1/me", { key }), 200);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now())));
    const took = await timeUntil(
      async () => (await api(request, "GET", "/api/v1/me", { key })).status === 401,
      2_000,
    );
    expect(took).toBeLessThanOrEqual(1_000);
    expectStatus(await api(request, "GET", "/api/v1/me", { key: user.key }), 200);
  });

  test("a disabled user's keys are refused within one second, and work again once re-enabled", async ({
    request,
  }) => {
    const user = await createUserWithKey(request);
    expectStatus(await api(request, "GET", "/api/v1/me", { key: user.key }), 200);
    expectStatus(await api(request, "PATCH", `/api/v1/users/${user.id}`, { body: { disabled: true } }), 200);
    const took = await timeUntil(
      async () => (await api(request, "GET", "/api/v1/me", { key: user.key })).status === 401,
      2_000,
    );
    expect(took).toBeLessThanOrEqual(1_000);
    expectStatus(await api(request, "PATCH", `/api/v1/users/${user.id}`, { body: { disabled: false } }), 200);
    const back = await timeUntil(
      async () => (await api(request, "GET", "/api/v1/me", { key: user.key })).status === 200,
      2_000,
    );
    expect(back).toBeLessThanOrEqual(1_000);
  });

  test("bad inputs are 422 naming the field", async ({ request }) => {
    const user = await createUserWithKey(request);
    const cases: Array<[body: Record<string, unknown>, field: string, message: string]> = [
      [{}, "name", "Name the key"],
      [{ name: "   " }, "name", "Name the key, for example after the client that uses it"],
      [{ name: "x".repeat(101) }, "name", "Use at most 100 characters"],
      [{ name: "k", expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt", "expiresAt must be in the future"],
      [
        { name: "k", expiresAt: new Date(Date.now() - 1_000).toISOString() },
        "expiresAt",
        "expiresAt must be in the future",
      ],
      [{ name: "k", expiresAt: "not-a-date" }, "expiresAt", "expiresAt must be a date, such as 2027-01-31"],
      [
        { name: "k", expiresAt: "2027-02-31T99:00:00Z" },
        "expiresAt",
        "expiresAt must be a date, such as 2027-01-31",
      ],
    ];
    for (const [body, field, message] of cases) {
      const answer = await api(request, "POST", "/api/v1/me/keys", { key: user.key, body });
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.code).toBe("validation_failed");
      expect(answer.body.error.fields[field], JSON.stringify(body)).toEqual([message]);
    }
    const listed = await api(request, "GET", "/api/v1/me/keys", { key: user.key });
    expect(listed.body.keys).toHaveLength(1);
  });

  test("the admin creates a key for a user; it acts as that user", async ({ request }) => {
    const user = await createUserWithKey(request);
    const created = await api(request, "POST", `/api/v1/users/${user.id}/keys`, { body: { name: "issued" } });
    expectStatus(created, 201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const me = await api(request, "GET", "/api/v1/me", { key: created.body.key });
    expect(me.body).toMatchObject({ id: user.id, role: "user" });
    const missing = await api(request, "POST", "/api/v1/users/00000000-0000-4000-8000-000000000000/keys", {
      body: { name: "x" },
    });
    expectStatus(missing, 404);
    expectStatus(await api(request, "POST", `/api/v1/users/${user.id}/keys`, { body: {} }), 422);
  });
});

test.describe("storage @postgres", () => {
  test("only the SHA-256 of a key is in the database", async ({ request }) => {
    const user = await createUserWithKey(request);
    const created = await api(request, "POST", "/api/v1/me/keys", {
      key: user.key,
      body: { name: "stored", expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expectStatus(created, 201);
    const { key, id } = created.body;
    expectStatus(await api(request, "GET", "/api/v1/me", { key }), 200);

    const sql = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<Record<string, unknown>[]>`select * from api_keys where id = ${id}`;
      expect(rows).toHaveLength(1);
      const row = rows[0] as Record<string, unknown>;
      expect(row.hashed_key).toBe(createHash("sha256").update(key).digest("hex"));
      expect(row.partial_key).toBe(`mcphub_…${key.slice(-4)}`);
      const secret = key.slice("mcphub_".length);
      for (const [column, value] of Object.entries(row)) {
        const text = value instanceof Date ? value.toISOString() : String(value);
        expect(text, column).not.toContain(secret);
        expect(text, column).not.toContain(secret.slice(0, 16));
      }
      // No other table holds it either.
      const tables = await sql<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = 'public'`;
      for (const { table_name } of tables) {
        const [hit] = await sql.unsafe(
          `select count(*)::int as n from "${table_name}" t where t::text like '%' || $1 || '%'`,
          [secret.slice(0, 16)],
        );
        expect(hit?.n, table_name).toBe(0);
      }
    } finally {
      await sql.end();
    }
  });
});
