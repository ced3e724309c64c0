import { randomUUID } from "node:crypto";
import {
  type APIRequestContext,
  type APIResponse,
  test as base,
  expect,
  request as requestFactory,
} from "@playwright/test";
import { ADMIN, HUB_URL } from "./env";

/** A person the test created, with the password it gave them. */
export type TestUser = { id: string; email: string; password: string; role: "admin" | "user" };

/** What GET /api/v1/users shows of a user. */
export type ListedUser = {
  id: string;
  email: string;
  name: string | null;
  role: "admin" | "user";
  disabled: boolean;
};

export const SESSION_COOKIE = "authjs.session-token";

/** Emails are unique per call, so tests can run in parallel against one hub without colliding. */
export function uniqueEmail(label = "person"): string {
  return `${label}-${randomUUID().slice(0, 8)}@mcphub.test`;
}

export function bearer(key: string = ADMIN.apiKey): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/**
 * Creates a user through the REST API with the admin key (or `key`; `null` for the session `api`
 * carries), failing the test if that fails.
 */
export async function createUser(
  api: APIRequestContext,
  options: { role?: "admin" | "user"; password?: string; email?: string; key?: string | null } = {},
): Promise<TestUser> {
  const role = options.role ?? "user";
  const email = options.email ?? uniqueEmail(role);
  const password = options.password ?? `pw-${randomUUID()}`;
  const response = await api.post("/api/v1/users", {
    headers: options.key === null ? {} : bearer(options.key),
    data: { email, password, role },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return { id, email, password, role };
}

/** Changes a user through the REST API with the admin key (or `key`), failing the test if that fails. */
export async function updateUser(
  api: APIRequestContext,
  id: string,
  patch: { role?: "admin" | "user"; disabled?: boolean; name?: string; password?: string },
  key?: string,
): Promise<ListedUser> {
  const response = await api.patch(`/api/v1/users/${id}`, { headers: bearer(key), data: patch });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as ListedUser;
}

/** The user as GET /api/v1/users lists it with the admin key (or `key`), or undefined when gone. */
export async function findUser(
  api: APIRequestContext,
  id: string,
  key?: string,
): Promise<ListedUser | undefined> {
  const response = await api.get("/api/v1/users", { headers: bearer(key) });
  expect(response.status(), await response.text()).toBe(200);
  const { users } = (await response.json()) as { users: ListedUser[] };
  return users.find((user) => user.id === id);
}

export async function csrfToken(api: APIRequestContext): Promise<string> {
  const response = await api.get("/api/auth/csrf");
  expect(response.status()).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  expect(csrfToken).toBeTruthy();
  return csrfToken;
}

export type SignInAttempt = {
  response: APIResponse;
  /** Where Auth.js sends the browser next: the callback URL, or /login with `error` and `code`. */
  location: URL;
  signedIn: boolean;
};

/**
 * Signs in over HTTP the way the browser's form post to Auth.js does: fetch a CSRF token (which
 * also sets its cookie), then post the credentials as a form. On success `api` carries the session
 * cookie from then on.
 */
export async function signIn(
  api: APIRequestContext,
  email: string,
  password: string,
): Promise<SignInAttempt> {
  const token = await csrfToken(api);
  const response = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken: token, email, password, callbackUrl: `${HUB_URL}/` },
    maxRedirects: 0,
  });
  expect(response.status(), "Auth.js answers a form post with a redirect").toBe(302);
  const location = new URL(response.headers().location ?? "", HUB_URL);
  const signedIn = !location.searchParams.has("error") && (await hasSessionCookie(api));
  return { response, location, signedIn };
}

/** Posts Auth.js's sign-out form, as the portal's sign-out button does. */
export async function signOut(api: APIRequestContext): Promise<APIResponse> {
  const token = await csrfToken(api);
  return api.post("/api/auth/signout", { form: { csrfToken: token }, maxRedirects: 0 });
}

export async function hasSessionCookie(api: APIRequestContext): Promise<boolean> {
  const { cookies } = await api.storageState();
  return cookies.some(
    (cookie) => cookie.name === SESSION_COOKIE || cookie.name.startsWith(`${SESSION_COOKIE}.`),
  );
}

type SessionFixtures = {
  /** A fresh request context signed in as this person; the test fails if signing in fails. */
  signInAs: (user: { email: string; password: string }) => Promise<APIRequestContext>;
  /** A fresh request context without any cookie. */
  newVisitor: () => Promise<APIRequestContext>;
};

/** Playwright's `test` with helpers for several people at once; their contexts are disposed after the test. */
export const test = base.extend<SessionFixtures>({
  signInAs: async ({ baseURL }, use) => {
    const contexts: APIRequestContext[] = [];
    await use(async (user) => {
      const context = await requestFactory.newContext({ baseURL });
      contexts.push(context);
      const attempt = await signIn(context, user.email, user.password);
      expect(attempt.signedIn, `sign-in of ${user.email} ended at ${attempt.location}`).toBe(true);
      return context;
    });
    await Promise.all(contexts.map((context) => context.dispose()));
  },
  newVisitor: async ({ baseURL }, use) => {
    const contexts: APIRequestContext[] = [];
    await use(async () => {
      const context = await requestFactory.newContext({ baseURL });
      contexts.push(context);
      return context;
    });
    await Promise.all(contexts.map((context) => context.dispose()));
  },
});

export { expect };
