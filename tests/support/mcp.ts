import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ADMIN, HUB_URL } from "./env";
import { uniqueName, uniqueUser } from "./users";

/**
 * What the MCP endpoint tests build on: people, keys, servers and groups made through the REST API
 * with the bootstrap admin's key (every name and email unique, as tests share one hub), and MCP
 * requests sent raw or through the SDK clients.
 */

/** server-everything over stdio, as an admin would configure it. */
export const EVERYTHING_STDIO = {
  type: "stdio",
  command: "node",
  args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
} as const;

export const LATEST_LEGACY_VERSION = "2025-11-25";
export const MODERN_VERSION = "2026-07-28";
export const MCP_ACCEPT = "application/json, text/event-stream";

/**
 * A parsed answer whose shape is the subject of the test: the tests read it field by field and
 * assert each one, so it is left untyped rather than cast at every step.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; every use is checked by an assertion.
export type Answer = any;

export type ApiAnswer = { status: number; headers: Headers; body: Answer };

/** Calls /api/v1 (the admin's key unless another is given) and returns status and parsed JSON. */
export async function api(
  method: string,
  path: string,
  options: { body?: unknown; key?: string | null; baseUrl?: string } = {},
): Promise<ApiAnswer> {
  const key = options.key === undefined ? ADMIN.apiKey : options.key;
  const response = await fetch(`${options.baseUrl ?? HUB_URL}${path}`, {
    method,
    headers: {
      ...(key && { Authorization: `Bearer ${key}` }),
      ...(options.body !== undefined && { "Content-Type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** Like api(), but fails the test with the answer when the status is not the expected one. */
export async function apiOk(
  method: string,
  path: string,
  options: { body?: unknown; key?: string | null; status?: number; baseUrl?: string } = {},
): Promise<Answer> {
  const answer = await api(method, path, options);
  const expected = options.status ?? (method === "POST" ? 201 : method === "DELETE" ? 204 : 200);
  if (answer.status !== expected)
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export type Person = { id: string; email: string; key: string; keyId: string };

/** A new user with one key of their own. */
export type PersonOptions = {
  /** A hub of the test's own (its URL and its admin's key) instead of the shared test hub. */
  hub?: { url: string; adminKey: string };
  /** A group the person then joins and activates, with their new key. */
  join?: string;
};

export async function createPerson(prefix = "person", options: PersonOptions = {}): Promise<Person> {
  const who = uniqueUser(prefix);
  const admin = options.hub ? { baseUrl: options.hub.url, key: options.hub.adminKey } : {};
  const user = await apiOk("POST", "/api/v1/users", {
    ...admin,
    body: { email: who.email, name: who.name, role: "user" },
  });
  const key = await apiOk("POST", `/api/v1/users/${user.id}/keys`, {
    ...admin,
    body: { name: `${prefix} laptop` },
  });
  if (options.join)
    await apiOk("PUT", `/api/v1/me/groups/${options.join}`, {
      baseUrl: options.hub?.url,
      key: key.key,
      body: { active: true },
    });
  return { id: user.id, email: user.email, key: key.key, keyId: key.id };
}

/** Another key for the same person, made by the person through /api/v1/me/keys. */
export async function createKey(
  person: Person,
  body: { name: string; expiresAt?: string } = { name: "second" },
): Promise<{ id: string; key: string }> {
  const created = await apiOk("POST", "/api/v1/me/keys", { key: person.key, body });
  return { id: created.id, key: created.key };
}

/** A server with a unique name; server-everything over stdio unless other fields are given. */
export async function createServer(
  prefix = "every",
  fields: Record<string, unknown> = EVERYTHING_STDIO,
): Promise<string> {
  const name = uniqueName(prefix);
  await apiOk("POST", "/api/v1/servers", { body: { name, ...fields } });
  return name;
}

/** A group with a unique name holding these servers (names, or {name, tools} for a tool choice). */
export async function createGroup(
  servers: Array<string | { name: string; tools: string[] }>,
  options: { prefix?: string; visibility?: "public" | "restricted" } = {},
): Promise<string> {
  const name = uniqueName(options.prefix ?? "group");
  await apiOk("POST", "/api/v1/groups", {
    body: { name, servers, visibility: options.visibility ?? "public" },
  });
  return name;
}

/** The person joins a public group (or switches a membership) active or inactive. */
export async function setGroupActive(person: Person, group: string, active = true): Promise<void> {
  await apiOk("PUT", `/api/v1/me/groups/${group}`, { key: person.key, body: { active }, status: 200 });
}

/** A person in one new active public group that holds one new server-everything: the common start. */
export async function personWithEverything(prefix = "person") {
  const server = await createServer();
  const group = await createGroup([server]);
  const person = await createPerson(prefix);
  await setGroupActive(person, group);
  return { person, server, group };
}

export type McpAnswer = {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, or the first JSON-RPC message of an SSE body; null when there is none. */
  message: Answer;
};

/** Reads a JSON or SSE answer into its first JSON-RPC message. */
export async function readAnswer(response: Response): Promise<McpAnswer> {
  const text = await response.text();
  let message: unknown = null;
  if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const data = text.split("\n").find((line) => line.startsWith("data: "));
    message = data ? JSON.parse(data.slice(6)) : null;
  } else if (text) {
    message = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, text, message };
}

export type RawOptions = {
  key?: string | null;
  sessionId?: string;
  headers?: Record<string, string>;
  method?: string;
  /** Another hub than the shared test hub (tests with instances of their own). */
  baseUrl?: string;
  /** Aborts the request: a client that goes away. */
  signal?: AbortSignal;
};

/** Sends one raw HTTP request to the MCP endpoint; `body` is sent as it is when a string. */
export async function mcpRaw(path: string, body: unknown, options: RawOptions = {}): Promise<McpAnswer> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: MCP_ACCEPT,
    ...(options.key && { Authorization: `Bearer ${options.key}` }),
    ...(options.sessionId && { "Mcp-Session-Id": options.sessionId }),
    ...options.headers,
  };
  const method = options.method ?? "POST";
  const response = await fetch(`${options.baseUrl ?? HUB_URL}${path}`, {
    method,
    headers,
    body: method === "POST" ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
    signal: options.signal,
  });
  return readAnswer(response);
}

let nextId = 1;
/** A JSON-RPC request object. */
export function rpc(method: string, params?: Record<string, unknown>) {
  return { jsonrpc: "2.0", id: nextId++, method, ...(params && { params }) };
}

export function initializeRequest(protocolVersion = LATEST_LEGACY_VERSION, capabilities: object = {}) {
  return rpc("initialize", {
    protocolVersion,
    capabilities,
    clientInfo: { name: "mcphub-tests", version: "1.0.0" },
  });
}

/** Opens a 2025-11-25 session with raw requests (initialize + initialized) and returns its id. */
export async function openSession(path: string, key: string, capabilities: object = {}): Promise<string> {
  const answer = await mcpRaw(path, initializeRequest(LATEST_LEGACY_VERSION, capabilities), { key });
  const sessionId = answer.headers.get("mcp-session-id");
  if (answer.status !== 200 || !sessionId)
    throw new Error(`initialize answered ${answer.status} without a session: ${answer.text}`);
  const initialized = await mcpRaw(
    path,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { key, sessionId, headers: { "Mcp-Protocol-Version": LATEST_LEGACY_VERSION } },
  );
  if (initialized.status !== 202) throw new Error(`initialized answered ${initialized.status}`);
  return sessionId;
}

/** One request in a session (with the protocol version header a client sends after initialize). */
export function inSession(path: string, key: string, sessionId: string, body: unknown) {
  return mcpRaw(path, body, {
    key,
    sessionId,
    headers: { "Mcp-Protocol-Version": LATEST_LEGACY_VERSION },
  });
}

/** The per-request `_meta` a 2026-07-28 client sends with every request. */
export function modernMeta(capabilities: object = {}) {
  return {
    "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
    "io.modelcontextprotocol/clientInfo": { name: "mcphub-tests", version: "1.0.0" },
    "io.modelcontextprotocol/clientCapabilities": capabilities,
  };
}

/** A raw 2026-07-28 request: headers and `_meta` as the protocol asks. */
export function modernRaw(
  path: string,
  key: string,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const name: Record<string, string> = typeof params.name === "string" ? { "Mcp-Name": params.name } : {};
  return mcpRaw(path, rpc(method, { ...params, _meta: modernMeta() }), {
    key,
    headers: { "Mcp-Protocol-Version": MODERN_VERSION, "Mcp-Method": method, ...name, ...headers },
  });
}

export function mcpUrl(path: string, query?: Record<string, string>): URL {
  const url = new URL(path, HUB_URL);
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
  return url;
}

/** The SDK v2 client over Streamable HTTP; `modern` pins it to the 2026-07-28 revision. */
export async function connectV2(
  path: string,
  key: string | null,
  options: { modern?: boolean; query?: Record<string, string> } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client(
    { name: "mcphub-tests-v2", version: "1.0.0" },
    options.modern ? { versionNegotiation: { mode: { pin: MODERN_VERSION } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(mcpUrl(path, options.query), {
    requestInit: { headers: key ? { Authorization: `Bearer ${key}` } : {} },
  });
  await client.connect(transport);
  return { client, transport };
}

/** The SDK v1 client (@modelcontextprotocol/sdk 1.x) over Streamable HTTP. */
export async function connectV1(
  path: string,
  key: string | null,
  options: { query?: Record<string, string> } = {},
): Promise<{ client: V1Client; transport: V1StreamableHTTPClientTransport }> {
  const client = new V1Client({ name: "mcphub-tests-v1", version: "1.0.0" });
  const transport = new V1StreamableHTTPClientTransport(mcpUrl(path, options.query), {
    requestInit: { headers: key ? { Authorization: `Bearer ${key}` } : {} },
  });
  await client.connect(transport);
  return { client, transport };
}

/** The exact error a tool name the caller cannot see gets, whatever the reason. */
export function unknownToolError(name: string) {
  return { code: -32602, message: `Unknown tool: ${name}` };
}
