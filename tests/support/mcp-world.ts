import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { bearer, createUser, expect, type TestUser } from "./session";

/** A person with their own MCPHub key, for calling /api/mcp as them. */
export type KeyedUser = TestUser & { key: string };

export async function createKeyedUser(api: APIRequestContext): Promise<KeyedUser> {
  const user = await createUser(api);
  const response = await api.post(`/api/v1/users/${user.id}/keys`, {
    headers: bearer(),
    data: { name: "tests" },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { ...user, key: ((await response.json()) as { key: string }).key };
}

export async function createServer(api: APIRequestContext, server: Record<string, unknown>): Promise<void> {
  const response = await api.post("/api/v1/servers", { headers: bearer(), data: server });
  expect(response.status(), await response.text()).toBe(201);
}

export async function createGroup(api: APIRequestContext, group: Record<string, unknown>): Promise<void> {
  const response = await api.post("/api/v1/groups", { headers: bearer(), data: group });
  expect(response.status(), await response.text()).toBe(201);
}

export async function joinGroup(
  api: APIRequestContext,
  user: KeyedUser,
  group: string,
  active = true,
): Promise<void> {
  const response = await api.put(`/api/v1/me/groups/${group}`, {
    headers: bearer(user.key),
    data: { active },
  });
  expect(response.status(), await response.text()).toBe(200);
}

type JsonRpcAnswer = { result?: Record<string, unknown>; error?: { code: number; message: string } };

/** One stateless JSON-RPC request to the MCP endpoint as `user`. */
export async function mcp(
  api: APIRequestContext,
  key: string,
  method: string,
  params: Record<string, unknown> = {},
  path = "/api/mcp",
): Promise<JsonRpcAnswer> {
  const response = await api.post(path, {
    headers: {
      ...bearer(key),
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
    },
    data: { jsonrpc: "2.0", id: randomUUID(), method, params },
  });
  const text = await response.text();
  // A 2025 answer may come as an SSE event; take its data line.
  const json =
    text.startsWith("event:") || text.startsWith("data:")
      ? (text
          .split("\n")
          .find((l) => l.startsWith("data:"))
          ?.slice(5) ?? "{}")
      : text;
  return JSON.parse(json) as JsonRpcAnswer;
}

export function toolText(answer: JsonRpcAnswer): string {
  const content = (answer.result?.content ?? []) as Array<{ type: string; text?: string }>;
  return content.map((c) => c.text ?? "").join("\n");
}

/** Starts a fixture MCP server (tests/fixtures/servers/*.mjs) on `port` and waits until it listens. */
export async function startFixture(script: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port) } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}
