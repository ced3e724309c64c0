import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import {
  createServer,
  createUserWithKey,
  everythingServer,
  expectStatus,
  api as rest,
  unique,
} from "../support/api";
import { ADMIN } from "../support/env";
import { whoHasKey } from "../support/people";
import {
  type ActionState,
  actionState,
  builtActionId,
  callAction,
  readBuiltActions,
} from "../support/server-actions";
import {
  bearer,
  createUser,
  expect,
  findUser,
  type ListedUser,
  SESSION_COOKIE,
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
  /** For a page about one server or group ([name]): creates one with the admin key, giving its URL. */
  create?: (api: APIRequestContext) => Promise<string>;
  /** What only an admin's response contains. */
  adminSees: RegExp;
};

const ADMIN_PAGES: Record<string, AdminPage> = {
  // The dashboard: charts once calls exist, the first steps on a hub nobody has called yet.
  "app/admin/page.tsx": { url: "/admin", adminSees: /Calls over time|No tool calls yet/ },
  "app/admin/audit/page.tsx": { url: "/admin/audit", adminSees: /Filter calls/ },
  "app/admin/audit/changes/page.tsx": { url: "/admin/audit/changes", adminSees: /Filter changes/ },
  "app/admin/users/page.tsx": { url: "/admin/users", adminSees: /Add a person/ },
  "app/admin/servers/page.tsx": { url: "/admin/servers", adminSees: /Only admins can define servers/ },
  "app/admin/servers/[name]/page.tsx": {
    url: "/admin/servers/[name]",
    create: async (api) => `/admin/servers/${(await createServerByApi(api)).name}`,
    adminSees: /Tools as last listed/,
  },
  "app/admin/groups/page.tsx": { url: "/admin/groups", adminSees: /Create a group/ },
  "app/admin/settings/page.tsx": { url: "/admin/settings", adminSees: /Download mcp_settings.json/ },
  "app/admin/processes/page.tsx": { url: "/admin/processes", adminSees: /Sandbox on this machine/ },
  "app/admin/limits/page.tsx": { url: "/admin/limits", adminSees: /Add a limit/ },
  "app/admin/groups/[name]/page.tsx": {
    url: "/admin/groups/[name]",
    create: async (api) => `/admin/groups/${await createGroupByApi(api)}`,
    adminSees: /Add a person by email/,
  },
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
  "GET /api/v1/audit": { access: "admin", adminStatus: 200 },
  "GET /api/v1/audit/admin-events": { access: "admin", adminStatus: 200 },
  "GET /api/v1/settings/retention": { access: "admin", adminStatus: 200 },
  // The longest retention there is: what a missing check would set changes nothing that is kept.
  "PUT /api/v1/settings/retention": { access: "admin", body: () => ({ days: 3650 }), adminStatus: 200 },
  "GET /api/v1/openapi.json": { access: "public", why: "the API's description, no data" },
  "GET /api/v1/rate-limits": { access: "admin", adminStatus: 200 },
  // A limit of one call a minute on a server: what a missing check would let anyone set (there is no
  // such server, so the admin gets the 422 that proves the handler ran).
  "POST /api/v1/rate-limits": {
    access: "admin",
    body: () => ({ scope: "server", server: "no-such-server", callsPerMinute: 1 }),
    adminStatus: 422,
  },
  "GET /api/v1/rate-limits/[id]": { access: "admin", adminStatus: 404 },
  "PATCH /api/v1/rate-limits/[id]": {
    access: "admin",
    body: () => ({ callsPerMinute: 1 }),
    adminStatus: 404,
  },
  "DELETE /api/v1/rate-limits/[id]": { access: "admin", adminStatus: 404 },
  // Also open to the scrape token MCPHUB_METRICS_TOKEN (tests/api/limits.spec.ts).
  "GET /api/metrics": { access: "admin", adminStatus: 200 },
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
  // Isolated processes (contract §4): the process ids in the path do not exist, so admins get 404.
  "GET /api/worker/processes": { access: "admin", adminStatus: 200 },
  "POST /api/worker/processes": { access: "admin", adminStatus: 400 },
  "DELETE /api/worker/processes/[id]": { access: "admin", adminStatus: 404 },
  "POST /api/worker/processes/[id]/restart": { access: "admin", adminStatus: 404 },
  "GET /api/worker/processes/[id]/logs": { access: "admin", adminStatus: 404 },
};

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// ---------------------------------------------------------------------------------------------
// Admin server actions: the exports of every "use server" file under app/admin.

/** One action, aimed at what its `setup` made for this test alone (tests run in parallel on one hub). */
type AdminAction<Context> = {
  /** Makes what the action is aimed at, with the admin key: fresh names, users, keys, servers, groups. */
  setup: (api: APIRequestContext) => Promise<Context>;
  /** The page whose form or button calls it, where the browser posts it. */
  page: (context: Context) => string;
  /** The arguments as the browser passes them. */
  args: (context: Context) => unknown[];
  /** Whether the action changed anything, read back with the admin key. */
  tookEffect: (api: APIRequestContext, context: Context) => Promise<boolean>;
  /** Where the admin's call sends the browser, for actions that end in a redirect instead of a state. */
  adminRedirect?: (context: Context) => string;
  /** More about the state the admin's call answers, beyond `status: "success"`. */
  adminState?: (
    api: APIRequestContext,
    state: ActionState & { data?: unknown },
    context: Context,
  ) => Promise<void>;
};

/** Forgets an entry's context type, so entries of different contexts share one table. */
const entry = <Context>(action: AdminAction<Context>) => action as unknown as AdminAction<unknown>;

function formData(fields: Record<string, string | string[]>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) form.append(key, one);
  }
  return form;
}

async function listUsers(api: APIRequestContext): Promise<ListedUser[]> {
  const response = await api.get("/api/v1/users", { headers: bearer() });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { users: ListedUser[] }).users;
}

/** The everything server's fields as the admin's server form posts them (args one per line). */
const EVERYTHING = everythingServer("unused");
const everythingForm = (name: string) => ({
  name,
  type: "stdio",
  command: EVERYTHING.command,
  args: EVERYTHING.args.join("\n"),
  env: "",
  riskLevel: "medium",
});

type ServerAnswer = { name: string; enabled: boolean; status: { toolCount: number | null } };

/** A server (the everything server, tools not listed yet) created with the admin key. */
async function createServerByApi(api: APIRequestContext): Promise<ServerAnswer> {
  return (await createServer(api, everythingServer(unique("by-admin-key")))) as ServerAnswer;
}

/** The server as the admin key reads it, or undefined when there is none. */
async function findServer(api: APIRequestContext, name: string): Promise<ServerAnswer | undefined> {
  const answer = await rest(api, "GET", `/api/v1/servers/${encodeURIComponent(name)}`);
  if (answer.status === 404) return undefined;
  expectStatus(answer, 200);
  return answer.body as ServerAnswer;
}

/** A restricted group with one fresh server, created with the admin key; its name. */
async function createGroupByApi(api: APIRequestContext): Promise<string> {
  const server = await createServerByApi(api);
  const name = unique("by-admin-key");
  const answer = await rest(api, "POST", "/api/v1/groups", {
    body: { name, visibility: "restricted", servers: [server.name] },
  });
  expectStatus(answer, 201);
  return name;
}

async function groupExists(api: APIRequestContext, name: string): Promise<boolean> {
  const answer = await rest(api, "GET", `/api/v1/groups/${encodeURIComponent(name)}`);
  if (answer.status === 404) return false;
  expectStatus(answer, 200);
  return true;
}

/** Whether the person with this key is a member of the (restricted) group, as they see it themselves. */
async function isMember(api: APIRequestContext, key: string, group: string): Promise<boolean> {
  const answer = await rest(api, "GET", "/api/v1/me/groups", { key });
  expectStatus(answer, 200);
  const mine = (answer.body as { groups: Array<{ name: string; member: boolean }> }).groups;
  return mine.some((g) => g.name === group && g.member);
}

/** A group and a person with a key, for the member actions. */
async function groupAndPerson(api: APIRequestContext) {
  return { group: await createGroupByApi(api), person: await createUserWithKey(api) };
}

type ListedProcess = { id: string; pid: number | null; state: string };

/** A running isolated process of a fresh person on a fresh probe server, started with the admin key. */
async function startProcessByApi(api: APIRequestContext): Promise<ListedProcess> {
  const person = await createUserWithKey(api);
  const server = await createServer(api, {
    name: unique("iso-admin"),
    type: "stdio",
    command: "node",
    args: ["tests/fixtures/servers/isolation-probe.mjs"],
    isolation: "process",
  });
  const started = await rest(api, "POST", "/api/worker/processes", {
    body: { userId: person.id, server: (server as { name: string }).name },
  });
  expectStatus(started, 201);
  return started.body as ListedProcess;
}

async function findProcess(api: APIRequestContext, id: string): Promise<ListedProcess | undefined> {
  const answer = await rest(api, "GET", "/api/worker/processes");
  expectStatus(answer, 200);
  return (answer.body as { processes: ListedProcess[] }).processes.find((p) => p.id === id);
}

type ListedLimit = { id: string; userId: string | null; callsPerMinute: number };

/** A person's own limit (a million calls a minute: it slows nobody down), created with the admin key. */
async function limitFor(
  api: APIRequestContext,
  person: { id: string },
): Promise<{ id: string; userId: string }> {
  const created = await rest(api, "POST", "/api/v1/rate-limits", {
    body: { scope: "person", userId: person.id, callsPerMinute: 1_000_000 },
  });
  expectStatus(created, 201);
  return { id: (created.body as ListedLimit).id, userId: person.id };
}

async function findLimit(api: APIRequestContext, userId: string): Promise<ListedLimit | undefined> {
  const answer = await rest(api, "GET", "/api/v1/rate-limits");
  expectStatus(answer, 200);
  return (answer.body as { rateLimits: ListedLimit[] }).rateLimits.find((limit) => limit.userId === userId);
}

const ADMIN_ACTIONS: Record<string, AdminAction<unknown>> = {
  "app/admin/users/actions.ts#createUserAction": entry({
    setup: async () => ({ email: uniqueEmail("by-action") }),
    page: () => "/admin/users",
    args: ({ email }) => [
      { status: "idle" },
      formData({ email, name: "", password: "intruder-password", role: "admin" }),
    ],
    tookEffect: async (api, { email }) => (await listUsers(api)).some((user) => user.email === email),
  }),
  "app/admin/users/actions.ts#changeRoleAction": entry({
    setup: (api) => createUser(api),
    page: () => "/admin/users",
    args: (target) => [target.id, "admin"],
    tookEffect: async (api, target) => (await findUser(api, target.id))?.role === "admin",
  }),
  "app/admin/users/actions.ts#setDisabledAction": entry({
    setup: (api) => createUser(api),
    page: () => "/admin/users",
    args: (target) => [target.id, true],
    tookEffect: async (api, target) => (await findUser(api, target.id))?.disabled === true,
  }),
  "app/admin/users/actions.ts#deleteUserAction": entry({
    setup: (api) => createUser(api),
    page: () => "/admin/users",
    args: (target) => [target.id],
    tookEffect: async (api, target) => (await findUser(api, target.id)) === undefined,
  }),
  "app/admin/users/actions.ts#revokeUserKeyAction": entry({
    setup: (api) => createUserWithKey(api),
    page: () => "/admin/users",
    args: (person) => [person.keyId],
    tookEffect: async (api, person) => {
      const answer = await rest(api, "GET", `/api/v1/users/${person.id}/keys`);
      expectStatus(answer, 200);
      const keys = (answer.body as { keys: Array<{ id: string; revokedAt: string | null }> }).keys;
      const revoked = keys.find((key) => key.id === person.keyId)?.revokedAt != null;
      // The listing and the key itself agree: a revoked key is refused, a live one still works.
      expect(await whoHasKey(api, person.key)).toBe(revoked ? 401 : person.email);
      return revoked;
    },
  }),

  "app/admin/servers/actions.ts#createServerAction": entry({
    setup: async () => ({ name: unique("by-action") }),
    page: () => "/admin/servers",
    args: ({ name }) => [{ status: "idle" }, formData({ ...everythingForm(name), enabled: "on" })],
    tookEffect: async (api, { name }) => (await findServer(api, name)) !== undefined,
  }),
  "app/admin/servers/actions.ts#updateServerAction": entry({
    setup: async (api) => ({ name: (await createServerByApi(api)).name, newName: unique("renamed") }),
    page: ({ name }) => `/admin/servers/${name}`,
    // A rename, the change a refused call must least of all make.
    args: ({ name, newName }) => [
      { status: "idle" },
      formData({ originalName: name, ...everythingForm(newName) }),
    ],
    tookEffect: async (api, { name, newName }) => {
      const [before, after] = [await findServer(api, name), await findServer(api, newName)];
      expect(Boolean(before) !== Boolean(after), "exactly one of the two names exists").toBe(true);
      return after !== undefined;
    },
    adminRedirect: ({ name, newName }) => `/admin/servers/${newName}?renamed=${name}`,
  }),
  // Test connection probes without saving; only a saved server whose form is unchanged gets the
  // tools it listed recorded, which the server's status.toolCount (null until then) shows.
  "app/admin/servers/actions.ts#testServerAction": entry({
    setup: async (api) => ({ name: (await createServerByApi(api)).name }),
    page: ({ name }) => `/admin/servers/${name}`,
    args: ({ name }) => [{ status: "idle" }, formData({ originalName: name, ...everythingForm(name) })],
    tookEffect: async (api, { name }) => (await findServer(api, name))?.status.toolCount !== null,
    adminState: async (api, state, { name }) => {
      const data = state.data as { tools: Array<{ name: string }>; recorded: string };
      expect(data.recorded).toBe("saved");
      expect(data.tools.length).toBeGreaterThan(0);
      expect((await findServer(api, name))?.status.toolCount).toBe(data.tools.length);
    },
  }),
  // Listing the tools again records them: status.toolCount goes from null to the count.
  "app/admin/servers/actions.ts#refreshToolsAction": entry({
    setup: async (api) => ({ name: (await createServerByApi(api)).name }),
    page: ({ name }) => `/admin/servers/${name}`,
    args: ({ name }) => [name],
    tookEffect: async (api, { name }) => (await findServer(api, name))?.status.toolCount !== null,
    adminState: async (api, state, { name }) => {
      const count = (await findServer(api, name))?.status.toolCount;
      expect(count).toBeGreaterThan(0);
      expect(state.message).toBe(`Listed ${count} tools.`);
    },
  }),
  "app/admin/servers/actions.ts#setServerEnabledAction": entry({
    setup: async (api) => ({ name: (await createServerByApi(api)).name }),
    page: ({ name }) => `/admin/servers/${name}`,
    args: ({ name }) => [name, false],
    tookEffect: async (api, { name }) => (await findServer(api, name))?.enabled === false,
  }),
  "app/admin/servers/actions.ts#deleteServerAction": entry({
    setup: async (api) => ({ name: (await createServerByApi(api)).name }),
    page: ({ name }) => `/admin/servers/${name}`,
    args: ({ name }) => [name],
    tookEffect: async (api, { name }) => (await findServer(api, name)) === undefined,
    adminRedirect: () => "/admin/servers",
  }),

  "app/admin/processes/actions.ts#stopProcessAction": entry({
    setup: startProcessByApi,
    page: () => "/admin/processes",
    args: ({ id }) => [id],
    tookEffect: async (api, { id }) => (await findProcess(api, id)) === undefined,
  }),
  "app/admin/processes/actions.ts#restartProcessAction": entry({
    setup: startProcessByApi,
    page: () => "/admin/processes",
    args: ({ id }) => [id],
    tookEffect: async (api, { id, pid }) => {
      const now = await findProcess(api, id);
      return now !== undefined && now.pid !== pid;
    },
  }),

  "app/admin/settings/actions.ts#importSettingsAction": entry({
    setup: async () => ({ name: unique("by-import") }),
    page: () => "/admin/settings",
    args: ({ name }) => [
      { status: "idle" },
      formData({
        json: JSON.stringify({ mcpServers: { [name]: { command: "node", args: ["--version"] } } }),
      }),
    ],
    tookEffect: async (api, { name }) => (await findServer(api, name)) !== undefined,
  }),
  "app/admin/settings/actions.ts#setRetentionAction": entry({
    // Long enough that no row of a parallel test is pruned; distinct per run so the change shows.
    setup: async () => ({ days: 1000 + Math.floor(Math.random() * 2600) }),
    page: () => "/admin/settings",
    args: ({ days }) => [{ status: "idle" }, formData({ days: String(days) })],
    tookEffect: async (api, { days }) => {
      const response = await api.get("/api/v1/settings/retention", { headers: bearer() });
      return ((await response.json()) as { days: number }).days === days;
    },
  }),
  "app/admin/limits/actions.ts#createLimitAction": entry({
    setup: (api) => createUserWithKey(api),
    page: () => "/admin/limits",
    args: (person) => [
      { status: "idle" },
      formData({ scope: "person", user: person.email, callsPerMinute: "1000000" }),
    ],
    tookEffect: async (api, person) => (await findLimit(api, person.id)) !== undefined,
  }),
  "app/admin/limits/actions.ts#updateLimitAction": entry({
    setup: async (api) => limitFor(api, await createUserWithKey(api)),
    page: () => "/admin/limits",
    args: ({ id }) => [{ status: "idle" }, formData({ id, callsPerMinute: "999999" })],
    tookEffect: async (api, { userId }) => (await findLimit(api, userId))?.callsPerMinute === 999_999,
  }),
  "app/admin/limits/actions.ts#deleteLimitAction": entry({
    setup: async (api) => limitFor(api, await createUserWithKey(api)),
    page: () => "/admin/limits",
    args: ({ id }) => [id],
    tookEffect: async (api, { userId }) => (await findLimit(api, userId)) === undefined,
  }),
  "app/admin/groups/actions.ts#createGroupAction": entry({
    setup: async (api) => ({ name: unique("by-action"), server: (await createServerByApi(api)).name }),
    page: () => "/admin/groups",
    args: ({ name, server }) => [
      { status: "idle" },
      formData({ name, description: "", visibility: "restricted", servers: [server] }),
    ],
    tookEffect: (api, { name }) => groupExists(api, name),
  }),
  "app/admin/groups/actions.ts#updateGroupAction": entry({
    setup: async (api) => ({ name: await createGroupByApi(api), newName: unique("renamed") }),
    page: ({ name }) => `/admin/groups/${name}`,
    // Renamed, made public and emptied of its server: any of it would show.
    args: ({ name, newName }) => [
      { status: "idle" },
      formData({ originalName: name, name: newName, description: "", visibility: "public" }),
    ],
    tookEffect: async (api, { name, newName }) => {
      const [before, after] = [await groupExists(api, name), await groupExists(api, newName)];
      expect(before !== after, "exactly one of the two names exists").toBe(true);
      return after;
    },
    adminRedirect: ({ newName }) => `/admin/groups/${newName}`,
  }),
  "app/admin/groups/actions.ts#deleteGroupAction": entry({
    setup: async (api) => ({ name: await createGroupByApi(api) }),
    page: ({ name }) => `/admin/groups/${name}`,
    args: ({ name }) => [name],
    tookEffect: async (api, { name }) => !(await groupExists(api, name)),
    adminRedirect: () => "/admin/groups",
  }),
  "app/admin/groups/actions.ts#addMemberAction": entry({
    setup: groupAndPerson,
    page: ({ group }) => `/admin/groups/${group}`,
    args: ({ group, person }) => [{ status: "idle" }, formData({ groupName: group, email: person.email })],
    tookEffect: (api, { group, person }) => isMember(api, person.key, group),
  }),
  "app/admin/groups/actions.ts#removeMemberAction": entry({
    setup: async (api) => {
      const made = await groupAndPerson(api);
      expectStatus(await rest(api, "PUT", `/api/v1/groups/${made.group}/members/${made.person.id}`), 204);
      expect(await isMember(api, made.person.key, made.group)).toBe(true);
      return made;
    },
    page: ({ group }) => `/admin/groups/${group}`,
    args: ({ group, person }) => [group, person.id],
    tookEffect: async (api, { group, person }) => !(await isMember(api, person.key, group)),
  }),
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
    const url = page.create ? await page.create(request) : page.url;
    const anonymous = await request.get(url, { maxRedirects: 0 });
    expect(anonymous.status()).toBe(307);
    const login = new URL(anonymous.headers().location ?? "", "http://hub");
    expect(login.pathname).toBe("/login");
    expect(login.searchParams.get("next")).toBe(url);

    // Past proxy.ts with a cookie it cannot verify: the page's own check must still refuse.
    const forged = await request.get(url, { headers: FORGED_COOKIE, maxRedirects: 0 });
    expect(forged.status()).toBe(307);
    expect(new URL(forged.headers().location ?? "", "http://hub").pathname).toBe("/login");

    const user = await signInAs(await createUser(request));
    const refused = await user.get(url, { maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain("Admins only");
    expect(refusedHtml).not.toMatch(page.adminSees);
    expect(refusedHtml).not.toContain(ADMIN.email);

    const admin = await signInAs(ADMIN_CREDENTIALS);
    const served = await admin.get(url, { maxRedirects: 0 });
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
    const context = await action.setup(request);
    const page = action.page(context);
    const args = () => action.args(context);
    const changed = () => action.tookEffect(request, context);

    // Without a cookie proxy.ts sends the request to /login before any action runs.
    const anonymous = await callAction(request, page, id, args());
    expect(anonymous.status()).toBe(307);
    expect(anonymous.headers().location).toContain("/login");
    expect(await changed(), "after a visitor's call").toBe(false);

    // Posted to /login, which proxy.ts lets visitors reach, Next.js forwards the action to a page that
    // has it, where proxy.ts answers the forwarded request with its redirect: the action never runs.
    const viaLogin = await callAction(request, "/login", id, args());
    expect(await actionState(viaLogin), await viaLogin.text()).toBeUndefined();
    expect(await changed(), "after a visitor's call through /login").toBe(false);

    const forged = await callAction(request, page, id, args(), FORGED_COOKIE);
    expect(await actionState(forged), await forged.text()).toMatchObject({
      status: "error",
      code: "unauthorized",
    });
    expect(await changed(), "after a forged cookie's call").toBe(false);

    const user = await signInAs(await createUser(request));
    const refused = await callAction(user, page, id, args());
    expect(await actionState(refused), await refused.text()).toMatchObject({
      status: "error",
      code: "forbidden",
    });
    expect(await changed(), "after a user's call").toBe(false);

    // The same request from an admin works, so the refusals above were the checks, not a bad request.
    const admin = await signInAs(ADMIN_CREDENTIALS);
    const done = await callAction(admin, page, id, args());
    if (action.adminRedirect) {
      // A fetch-posted action that redirects answers 200, naming the target for the client router
      // in a header (and streaming the target page).
      expect(done.status()).toBe(200);
      expect(done.headers()["x-action-redirect"], JSON.stringify(done.headers())).toBe(
        `${action.adminRedirect(context)};push`,
      );
    } else {
      const state = await actionState(done);
      expect(state, await done.text()).toMatchObject({ status: "success" });
      await action.adminState?.(request, state as ActionState, context);
    }
    expect(await changed(), "after the admin's call").toBe(true);
  });
}
