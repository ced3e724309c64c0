import { startOwnHub } from "../support/own-hub";
import { actionState, builtActionId, callAction } from "../support/server-actions";
import {
  bearer,
  createUser,
  csrfToken,
  expect,
  hasSessionCookie,
  signIn,
  signOut,
  test,
  uniqueEmail,
  updateUser,
} from "../support/session";

test("the right password signs in, and the session carries the person to /api/v1/me", async ({ request }) => {
  const user = await createUser(request);
  const attempt = await signIn(request, user.email.toUpperCase(), user.password);
  expect(attempt.signedIn).toBe(true);
  expect(attempt.location.pathname).toBe("/");

  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toEqual({ id: user.id, email: user.email, name: null, role: "user" });
});

test("a wrong password and an unknown email get the same answer, and neither a session", async ({
  request,
  newVisitor,
}) => {
  const user = await createUser(request);
  const [first, second] = [await newVisitor(), await newVisitor()];
  const wrongPassword = await signIn(first, user.email, `${user.password}-wrong`);
  const unknownEmail = await signIn(second, uniqueEmail("nobody"), user.password);

  for (const [visitor, attempt] of [
    [first, wrongPassword],
    [second, unknownEmail],
  ] as const) {
    expect(attempt.signedIn).toBe(false);
    expect(attempt.location.pathname).toBe("/login");
    expect(await hasSessionCookie(visitor)).toBe(false);
    expect((await visitor.get("/api/v1/me")).status()).toBe(401);
  }
  // Same page, same error, same code: nothing tells whether the email exists.
  expect(unknownEmail.location.search).toBe(wrongPassword.location.search);
  expect(wrongPassword.location.searchParams.get("error")).toBe("CredentialsSignin");
  expect(wrongPassword.location.searchParams.get("code")).toBe("credentials");
});

test("an unknown email is not answered much faster than a wrong password", async ({ request }) => {
  const user = await createUser(request);
  const token = await csrfToken(request);
  const time = async (form: Record<string, string>) => {
    const started = performance.now();
    const response = await request.post("/api/auth/callback/credentials", { form, maxRedirects: 0 });
    await response.body();
    const elapsed = performance.now() - started;
    expect(response.headers().location).toContain("/login?error=");
    return elapsed;
  };
  const wrong: number[] = [];
  const unknown: number[] = [];
  const baseline: number[] = [];
  // Interleaved, so a burst of load from parallel tests hits all three alike.
  for (let round = 0; round < 21; round++) {
    const password = `wrong-${round}-password`;
    wrong.push(await time({ csrfToken: token, email: user.email, password }));
    unknown.push(await time({ csrfToken: token, email: uniqueEmail("nobody"), password }));
    // Auth.js refuses a post without its CSRF token before looking anybody up: the cost of the
    // request alone, which is as large as a password check and would otherwise drown it.
    baseline.push(await time({ email: user.email, password }));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const [wrongCost, unknownCost] = [median(wrong) - median(baseline), median(unknown) - median(baseline)];
  // Without the dummy argon2 verification, an unknown email costs a small part of what a wrong
  // password costs beyond the request itself (a tenth to a quarter here); with it, about the same.
  expect(
    unknownCost,
    `beyond the request itself: unknown email ${unknownCost.toFixed(1)} ms, wrong password ${wrongCost.toFixed(1)} ms`,
  ).toBeGreaterThan(wrongCost * 0.5);
});

test("the sign-in form answers an unknown email like a wrong password, and names a disabled account", async ({
  request,
}) => {
  const actionId = builtActionId("app/login/actions.ts", "signInWithPassword");
  const submit = async (email: string, password: string) => {
    const form = new FormData();
    form.set("email", email);
    form.set("password", password);
    const response = await callAction(request, "/login", actionId, [{ status: "idle" }, form]);
    expect(response.status()).toBe(200);
    // The form gets the typed email back to show again (never the password); compare the rest.
    const { values, ...answer } = (await actionState(response)) as Record<string, unknown> & {
      values?: Record<string, string>;
    };
    expect(values).toEqual({ email });
    return answer;
  };
  const user = await createUser(request);

  const wrongPassword = await submit(user.email, "not-the-password");
  const unknownEmail = await submit(uniqueEmail("nobody"), "not-the-password");
  expect(wrongPassword).toEqual({
    status: "error",
    code: "invalid_credentials",
    message: "Wrong email or password.",
  });
  expect(unknownEmail).toEqual(wrongPassword);

  await updateUser(request, user.id, { disabled: true });
  // Only someone who knows the password learns that the account is disabled.
  expect(await submit(user.email, "not-the-password")).toEqual(wrongPassword);
  expect(await submit(user.email, user.password)).toMatchObject({
    status: "error",
    code: "account_disabled",
    message: expect.stringContaining("Ask an admin"),
  });
});

test("a disabled user cannot sign in, even with the right password", async ({ request, newVisitor }) => {
  const user = await createUser(request);
  await updateUser(request, user.id, { disabled: true });

  const visitor = await newVisitor();
  const attempt = await signIn(visitor, user.email, user.password);
  expect(attempt.signedIn).toBe(false);
  expect(attempt.location.pathname).toBe("/login");
  expect(attempt.location.searchParams.get("code")).toBe("account_disabled");
  expect((await visitor.get("/api/v1/me")).status()).toBe(401);

  // Enabled again, the same password works.
  await updateUser(request, user.id, { disabled: false });
  expect((await signIn(visitor, user.email, user.password)).signedIn).toBe(true);
  expect((await visitor.get("/api/v1/me")).status()).toBe(200);
});

test("disabling a signed-in user ends their session on the next request", async ({ request, signInAs }) => {
  const user = await createUser(request);
  const session = await signInAs(user);
  expect((await session.get("/api/v1/me")).status()).toBe(200);

  await updateUser(request, user.id, { disabled: true });

  const me = await session.get("/api/v1/me");
  expect(me.status()).toBe(401);
  expect(me.headers()["www-authenticate"]).toContain("Bearer");
  // The portal too: the cookie is still there, but the server no longer lets it in.
  const home = await session.get("/", { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(new URL(home.headers().location ?? "", "http://x").pathname).toBe("/login");
});

test("signing out ends the session", async ({ request, signInAs }) => {
  const user = await createUser(request);
  const session = await signInAs(user);
  expect((await session.get("/api/v1/me")).status()).toBe(200);

  const response = await signOut(session);
  expect(response.status()).toBe(302);
  expect(await hasSessionCookie(session)).toBe(false);
  expect((await session.get("/api/v1/me")).status()).toBe(401);
  const home = await session.get("/", { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(home.headers().location).toContain("/login");
});

test("an admin whose role is lowered to user loses admin access on the next request", async ({
  request,
  signInAs,
}) => {
  const admin = await createUser(request, { role: "admin" });
  const session = await signInAs(admin);
  expect((await session.get("/api/v1/users")).status()).toBe(200);
  expect((await session.get("/admin/users")).status()).toBe(200);

  await updateUser(request, admin.id, { role: "user" });

  const users = await session.get("/api/v1/users");
  expect(users.status()).toBe(403);
  expect((await users.json()).error.code).toBe("forbidden");
  expect((await session.get("/admin/users")).status()).toBe(403);
  expect(await (await session.get("/api/v1/me")).json()).toMatchObject({ id: admin.id, role: "user" });
});

test.describe("keys of a disabled user, on a hub of its own", () => {
  test.describe.configure({ timeout: 120_000 });

  test("a disabled user's key stops working, and works again once they are enabled", async ({
    playwright,
  }, testInfo) => {
    // The only key a test can hold belongs to the bootstrap admin; disabling it needs a hub of its own.
    const hub = await startOwnHub("keys", 1, testInfo.parallelIndex);
    const api = await playwright.request.newContext({ baseURL: hub.url });
    try {
      const keyOwner = await api.get("/api/v1/me", { headers: bearer() });
      expect(keyOwner.status()).toBe(200);
      const { id: ownerId } = (await keyOwner.json()) as { id: string };

      // Another admin disables the key's owner through their session.
      const other = await createUser(api, { role: "admin" });
      expect((await signIn(api, other.email, other.password)).signedIn).toBe(true);
      const disabled = await api.patch(`/api/v1/users/${ownerId}`, { data: { disabled: true } });
      expect(disabled.status(), await disabled.text()).toBe(200);

      // The key cache may answer for up to a second; after that the key must be refused.
      await expect
        .poll(async () => (await api.get("/api/v1/me", { headers: bearer() })).status(), { timeout: 2_000 })
        .toBe(401);
      const refused = await api.get("/api/v1/users", { headers: bearer() });
      expect(refused.status()).toBe(401);
      expect(refused.headers()["www-authenticate"]).toContain("Bearer");

      const enabled = await api.patch(`/api/v1/users/${ownerId}`, { data: { disabled: false } });
      expect(enabled.status()).toBe(200);
      await expect
        .poll(async () => (await api.get("/api/v1/me", { headers: bearer() })).status(), { timeout: 2_000 })
        .toBe(200);
    } finally {
      await api.dispose();
      await hub.stop();
    }
  });
});
