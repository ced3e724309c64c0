import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { ADMIN } from "../support/env";
import { actionState, builtActionId, callAction, readBuiltActions } from "../support/server-actions";
import {
  bearer,
  createUser,
  expect,
  findUser,
  type ListedUser,
  SESSION_COOKIE,
  type TestUser,
  test,
  uniqueEmail,
} from "../support/session";
import { exportedBindings, findFiles, routePattern } from "../support/source-exports";

/*
 * Every way into the hub that only admins may use, in one table. The first tests read the source
 * (and the build) and fail when a page, route, method or action exists that the table does not
 * list, so a new admin entry point cannot ship without its refusals being tested here.
 */

const ADMIN_CREDENTIALS = { email: ADMIN.email, password: ADMIN.password };
/** A session cookie the server never issued: it passes proxy.ts, so only the server's own check stops it. */
const FORGED_COOKIE = { cookie: `${SESSION_COOKIE}=forged-${randomBytes(24).toString("base64url")}` };
/** Well-formed but never registered. */
const UNKNOWN_KEY = `mcphub_${randomBytes(32).toString("base64url")}`;

// ---------------------------------------------------------------------------------------------
// Admin pages: app/admin/**/page.tsx

type AdminPage = {
  url: string;
  /** What only an admin's response contains. */
  adminSees: RegExp;
};

const ADMIN_PAGES: Record<string, AdminPage> = {
  // /admin forwards admins to /admin/users; the redirect is streamed inside the page, as Next.js
  // does once a layout has started rendering.
  "app/admin/page.tsx": { url: "/admin", adminSees: /NEXT_REDIRECT;replace;\/admin\/users;/ },
  "app/admin/users/page.tsx": { url: "/admin/users", adminSees: /Add a person/ },
};

// ---------------------------------------------------------------------------------------------
// API routes: every method exported by app/api/**/route.ts, admin or not, so that a new route has
// to be placed in one of the three kinds.

type Access = "admin" | "signed-in" | "public";
type ApiRoute = {
  access: Access;
  /** Why anybody may call a public route. */
  why?: string;
  /** A body a missing check would act on: it creates an admin or promotes the target. */
  body?: () => unknown;
  /** What an admin gets: proof that the handler ran. */
  adminStatus?: number;
};

const API_ROUTES: Record<string, ApiRoute> = {
  "GET /api/health": { access: "public", why: "load balancers and the CI probe it" },
  "GET /api/auth/[...nextauth]": { access: "public", why: "Auth.js: sign-in pages, csrf, session" },
  "POST /api/auth/[...nextauth]": { access: "public", why: "Auth.js: sign-in, callbacks, sign-out" },
  "GET /api/[...path]": { access: "public", why: "the JSON 404 for unknown API paths" },
  "POST /api/[...path]": { access: "public", why: "the JSON 404 for unknown API paths" },
  "PUT /api/[...path]": { access: "public", why: "the JSON 404 for unknown API paths" },
  "PATCH /api/[...path]": { access: "public", why: "the JSON 404 for unknown API paths" },
  "DELETE /api/[...path]": { access: "public", why: "the JSON 404 for unknown API paths" },
  "GET /api/v1/me": { access: "signed-in", adminStatus: 200 },
  "GET /api/v1/users": { access: "admin", adminStatus: 200 },
  "POST /api/v1/users": {
    access: "admin",
    body: () => ({ email: uniqueEmail("intruder"), password: "intruder-password", role: "admin" }),
    adminStatus: 201,
  },
  "PATCH /api/v1/users/[id]": { access: "admin", body: () => ({ role: "admin" }), adminStatus: 200 },
  "DELETE /api/v1/users/[id]": { access: "admin", adminStatus: 204 },
  // The MCP endpoint authenticates keys itself and answers in its own shapes (tests/api/mcp-*.spec.ts).
  "GET /api/mcp": { access: "public", why: "MCP endpoint: checks the key on every request" },
  "POST /api/mcp": { access: "public", why: "MCP endpoint: checks the key on every request" },
  "DELETE /api/mcp": { access: "public", why: "MCP endpoint: checks the key on every request" },
  "GET /api/mcp/[group]": { access: "public", why: "MCP endpoint: checks the key and membership" },
  "POST /api/mcp/[group]": { access: "public", why: "MCP endpoint: checks the key and membership" },
  "DELETE /api/mcp/[group]": { access: "public", why: "MCP endpoint: checks the key and membership" },
  "GET /api/v1/openapi.json": { access: "public", why: "the API's description, no data" },
  // Routes whose target is named in the path: an admin reaching the handler gets its 404 (or the
  // 400/422 of a missing body), which proves the role check let them through and nobody else.
  "POST /api/v1/users/[id]/keys": { access: "admin", adminStatus: 400 },
  "GET /api/v1/users/[id]/keys": { access: "admin", adminStatus: 200 },
  "DELETE /api/v1/users/[id]/keys/[keyId]": { access: "admin", adminStatus: 404 },
  "GET /api/v1/servers": { access: "admin", adminStatus: 200 },
  "POST /api/v1/servers": { access: "admin", adminStatus: 400 },
  "POST /api/v1/servers/test": { access: "admin", adminStatus: 400 },
  "GET /api/v1/servers/[name]": { access: "admin", adminStatus: 404 },
  "PATCH /api/v1/servers/[name]": { access: "admin", adminStatus: 400 },
  "DELETE /api/v1/servers/[name]": { access: "admin", adminStatus: 404 },
  "POST /api/v1/servers/[name]/test": { access: "admin", adminStatus: 404 },
  "GET /api/v1/groups": { access: "admin", adminStatus: 200 },
  "POST /api/v1/groups": { access: "admin", adminStatus: 400 },
  "GET /api/v1/groups/[name]": { access: "admin", adminStatus: 404 },
  "PATCH /api/v1/groups/[name]": { access: "admin", adminStatus: 400 },
  "DELETE /api/v1/groups/[name]": { access: "admin", adminStatus: 404 },
  "PUT /api/v1/groups/[name]/members/[userId]": { access: "admin", adminStatus: 404 },
  "DELETE /api/v1/groups/[name]/members/[userId]": { access: "admin", adminStatus: 404 },
  "POST /api/v1/settings/import": { access: "admin", adminStatus: 400 },
  "GET /api/v1/settings/export": { access: "admin", adminStatus: 200 },
  "GET /api/v1/me/keys": { access: "signed-in", adminStatus: 200 },
  "POST /api/v1/me/keys": { access: "signed-in", adminStatus: 400 },
  "DELETE /api/v1/me/keys/[id]": { access: "signed-in", adminStatus: 404 },
  "GET /api/v1/me/groups": { access: "signed-in", adminStatus: 200 },
  "PUT /api/v1/me/groups/[name]": { access: "signed-in", adminStatus: 400 },
  "DELETE /api/v1/me/groups/[name]": { access: "signed-in", adminStatus: 404 },
  "GET /api/v1/me/credentials": { access: "signed-in", adminStatus: 200 },
  "PUT /api/v1/me/credentials/[name]": { access: "signed-in", adminStatus: 400 },
  "DELETE /api/v1/me/credentials/[name]": { access: "signed-in", adminStatus: 422 },
};

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// ---------------------------------------------------------------------------------------------
// Admin server actions: the exports of every "use server" file under app/admin.

type AdminAction = {
  /** The page whose form or button calls it, where the browser posts it. */
  page: string;
  /** The arguments as the browser passes them, aimed at `target` (a plain user) or at `email`. */
  args: (target: TestUser, email: string) => unknown[];
  /** Whether the action changed anything, read back with the admin key. */
  tookEffect: (api: APIRequestContext, target: TestUser, email: string) => Promise<boolean>;
};

function formData(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

async function listUsers(api: APIRequestContext): Promise<ListedUser[]> {
  const response = await api.get("/api/v1/users", { headers: bearer() });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { users: ListedUser[] }).users;
}

const ADMIN_ACTIONS: Record<string, AdminAction> = {
  "app/admin/users/actions.ts#createUserAction": {
    page: "/admin/users",
    args: (_target, email) => [
      { status: "idle" },
      formData({ email, name: "", password: "intruder-password", role: "admin" }),
    ],
    tookEffect: async (api, _target, email) => (await listUsers(api)).some((user) => user.email === email),
  },
  "app/admin/users/actions.ts#changeRoleAction": {
    page: "/admin/users",
    args: (target) => [target.id, "admin"],
    tookEffect: async (api, target) => (await findUser(api, target.id))?.role === "admin",
  },
  "app/admin/users/actions.ts#setDisabledAction": {
    page: "/admin/users",
    args: (target) => [target.id, true],
    tookEffect: async (api, target) => (await findUser(api, target.id))?.disabled === true,
  },
  "app/admin/users/actions.ts#deleteUserAction": {
    page: "/admin/users",
    args: (target) => [target.id],
    tookEffect: async (api, target) => (await findUser(api, target.id)) === undefined,
  },
};

// ---------------------------------------------------------------------------------------------

test.describe("the table lists every admin entry point", () => {
  test("every page under app/admin", () => {
    const pages = findFiles("app/admin", (file) => /\/page\.(tsx|ts|jsx|js|mdx)$/.test(file));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages, "add the new admin page to ADMIN_PAGES").toEqual(Object.keys(ADMIN_PAGES).sort());
  });

  test("every method of every API route, with the role its handler demands", () => {
    const found: string[] = [];
    for (const file of findFiles("app/api", (file) => /\/route\.(ts|js)$/.test(file))) {
      for (const binding of exportedBindings(file)) {
        if (!HTTP_METHODS.has(binding.name)) continue;
        const key = `${binding.name} ${routePattern(file)}`;
        found.push(key);
        const listed = API_ROUTES[key];
        if (!listed) continue;
        // The wrapper's option is what the server enforces; the table must say the same.
        const demandsAdmin = /\brole:\s*["']admin["']/.test(binding.source);
        expect(demandsAdmin, `${key} in ${file}: ${binding.source.slice(0, 200)}`).toBe(
          listed.access === "admin",
        );
      }
    }
    expect(found.sort(), "add the new route to API_ROUTES, saying who may call it").toEqual(
      Object.keys(API_ROUTES).sort(),
    );
  });

  test("every server action under app/admin, in the source and in the build the hub runs", () => {
    const serverFiles = findFiles("app/admin", (file) => /\.(tsx?|jsx?)$/.test(file)).filter((file) =>
      /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(readFileSync(file, "utf8")),
    );
    expect(serverFiles.length).toBeGreaterThan(0);
    const inSource = serverFiles.flatMap((file) =>
      exportedBindings(file).map(({ name }) => `${file}#${name}`),
    );
    expect(inSource.sort(), "add the new action to ADMIN_ACTIONS").toEqual(Object.keys(ADMIN_ACTIONS).sort());

    // Inline "use server" functions in pages have no export to read; the build lists them all.
    const inBuild = readBuiltActions()
      .filter((action) => action.filename.startsWith("app/admin/"))
      .map((action) => `${action.filename}#${action.exportedName}`);
    expect(inBuild.sort(), "rebuild, or add the new action to ADMIN_ACTIONS").toEqual(
      Object.keys(ADMIN_ACTIONS).sort(),
    );
  });
});

for (const [file, page] of Object.entries(ADMIN_PAGES)) {
  test(`admin page ${page.url} (${file}) sends visitors to sign in, refuses users, serves admins`, async ({
    request,
    signInAs,
  }) => {
    const anonymous = await request.get(page.url, { maxRedirects: 0 });
    expect(anonymous.status()).toBe(307);
    const login = new URL(anonymous.headers().location ?? "", "http://hub");
    expect(login.pathname).toBe("/login");
    expect(login.searchParams.get("next")).toBe(page.url);

    // Past proxy.ts with a cookie it cannot verify: the page's own check must still refuse.
    const forged = await request.get(page.url, { headers: FORGED_COOKIE, maxRedirects: 0 });
    expect(forged.status()).toBe(307);
    expect(new URL(forged.headers().location ?? "", "http://hub").pathname).toBe("/login");

    const user = await signInAs(await createUser(request));
    const refused = await user.get(page.url, { maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain("Admins only");
    expect(refusedHtml).not.toMatch(page.adminSees);
    expect(refusedHtml).not.toContain(ADMIN.email);

    const admin = await signInAs(ADMIN_CREDENTIALS);
    const served = await admin.get(page.url, { maxRedirects: 0 });
    expect(served.status()).toBe(200);
    expect(await served.text()).toMatch(page.adminSees);
  });
}

for (const [key, route] of Object.entries(API_ROUTES)) {
  if (route.access === "public") continue;
  const [method = "", pattern = ""] = key.split(" ");

  test(`API ${key} answers 401 to visitors${route.access === "admin" ? ", 403 to users" : ""} and serves ${route.access === "admin" ? "admins" : "anyone signed in"}`, async ({
    request,
    signInAs,
  }) => {
    const target = await createUser(request);
    const url = pattern.replace("[id]", target.id);
    const send = (api: APIRequestContext, headers: Record<string, string> = {}) =>
      api.fetch(url, { method, headers, data: route.body?.(), maxRedirects: 0 });

    for (const [who, headers] of [
      ["nobody", {}],
      ["a forged session cookie", FORGED_COOKIE],
      ["an unknown key", bearer(UNKNOWN_KEY)],
      ["an empty bearer", { authorization: "Bearer " }],
    ] as const) {
      const response = await send(request, headers);
      expect(response.status(), `${key} with ${who}`).toBe(401);
      expect(response.headers()["www-authenticate"], `${key} with ${who}`).toMatch(/^Bearer /);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unauthorized");
      expect(body.error.message).toContain("Authorization: Bearer");
    }

    const user = await signInAs(await createUser(request));
    const asUser = await send(user);
    if (route.access === "admin") {
      expect(asUser.status(), `${key} as a user`).toBe(403);
      expect(((await asUser.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    } else {
      expect(asUser.status(), `${key} as a user`).toBe(route.adminStatus);
    }
    // Refused calls changed nothing: the target is as it was created.
    expect(await findUser(request, target.id)).toMatchObject({ role: "user", disabled: false });

    const admin = await signInAs(ADMIN_CREDENTIALS);
    const asAdmin = await send(admin);
    expect(asAdmin.status(), `${key} as an admin: ${await asAdmin.text()}`).toBe(route.adminStatus);
  });
}

for (const [key, action] of Object.entries(ADMIN_ACTIONS)) {
  const [file = "", name = ""] = key.split("#");

  test(`admin action ${name} refuses visitors and users and does nothing for them; admins get it done`, async ({
    request,
    signInAs,
  }) => {
    const id = builtActionId(file, name);
    const target = await createUser(request);
    const email = uniqueEmail("by-action");
    const args = () => action.args(target, email);

    // Without a cookie proxy.ts sends the request to /login before any action runs.
    const anonymous = await callAction(request, action.page, id, args());
    expect(anonymous.status()).toBe(307);
    expect(anonymous.headers().location).toContain("/login");
    expect(await action.tookEffect(request, target, email)).toBe(false);

    const forged = await callAction(request, action.page, id, args(), FORGED_COOKIE);
    expect(await actionState(forged), await forged.text()).toMatchObject({
      status: "error",
      code: "unauthorized",
    });
    expect(await action.tookEffect(request, target, email)).toBe(false);

    const user = await signInAs(await createUser(request));
    const refused = await callAction(user, action.page, id, args());
    expect(await actionState(refused), await refused.text()).toMatchObject({
      status: "error",
      code: "forbidden",
    });
    expect(await action.tookEffect(request, target, email)).toBe(false);

    // The same request from an admin works, so the refusals above were the checks, not a bad request.
    const admin = await signInAs(ADMIN_CREDENTIALS);
    const done = await callAction(admin, action.page, id, args());
    expect(await actionState(done), await done.text()).toMatchObject({ status: "success" });
    expect(await action.tookEffect(request, target, email)).toBe(true);
  });
}
