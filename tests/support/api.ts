import { randomBytes } from "node:crypto";
import { type APIRequestContext, expect } from "@playwright/test";
import { ADMIN } from "./env";

/** Tests share one hub and run in parallel: every name they create carries a random suffix. */
export function unique(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}`;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read answers of many shapes and assert on them
export type ApiAnswer = { status: number; body: any; headers: Record<string, string> };

/**
 * Calls the REST API. `key` null sends no Authorization header (anonymous); undefined uses the
 * bootstrap admin's key. An object `body` is sent as JSON.
 */
export async function api(
  request: APIRequestContext,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const key = options.key === undefined ? ADMIN.apiKey : options.key;
  const response = await request.fetch(path, {
    method,
    headers: { ...(key && { Authorization: `Bearer ${key}` }), ...options.headers },
    ...(options.body !== undefined && { data: options.body }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text, so a failing assertion shows it.
  }
  return { status: response.status(), body, headers: response.headers() };
}

/** Asserts an answer's status, showing the body when it differs. */
export function expectStatus(answer: ApiAnswer, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
}

export type TestUser = { id: string; email: string; key: string; keyId: string };

/** Creates a user through the admin API and a key for them (through the admin route). */
export async function createUserWithKey(
  request: APIRequestContext,
  role: "user" | "admin" = "user",
): Promise<TestUser> {
  const email = `${unique(role)}@mcphub.test`;
  const created = await api(request, "POST", "/api/v1/users", { body: { email, role } });
  expectStatus(created, 201);
  const key = await api(request, "POST", `/api/v1/users/${created.body.id}/keys`, {
    body: { name: "tests" },
  });
  expectStatus(key, 201);
  return { id: created.body.id, email, key: key.body.key, keyId: key.body.id };
}

/** The everything reference server from @modelcontextprotocol/server-everything, run over stdio. */
export function everythingServer(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    type: "stdio",
    command: "node",
    args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
    ...extra,
  };
}

/** A remote server nobody connects to in the test (for CRUD that needs no upstream). */
export function remoteServer(name: string, extra: Record<string, unknown> = {}) {
  return { name, type: "streamable-http", url: "https://mcp.example.com/mcp", ...extra };
}

/** Creates a server as the admin and returns its answer body. */
export async function createServer(request: APIRequestContext, input: Record<string, unknown>) {
  const answer = await api(request, "POST", "/api/v1/servers", { body: input });
  expectStatus(answer, 201);
  return answer.body;
}

/** Creates an everything server and tests it, so its tools are recorded for group checks. */
export async function createTestedEverythingServer(
  request: APIRequestContext,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<string[]> {
  await createServer(request, everythingServer(name, extra));
  const tested = await api(request, "POST", `/api/v1/servers/${name}/test`);
  expectStatus(tested, 200);
  expect(tested.body.ok, JSON.stringify(tested.body)).toBe(true);
  return tested.body.tools.map((tool: { name: string }) => tool.name);
}

/** Polls `probe` every 50 ms until it returns true or `withinMs` passes; returns the time it took. */
export async function timeUntil(probe: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > withinMs) return Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
