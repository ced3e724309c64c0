import type { Client } from "@modelcontextprotocol/client";
import { REPLAY_URL } from "./env";
import {
  type Answer,
  apiOk,
  connectV2,
  createGroup,
  createPerson,
  createServer,
  type Person,
  setGroupActive,
} from "./mcp";
import { uniqueName } from "./users";

/**
 * The replay server (tests/fixtures/replay/server.mjs) that stands in for GitHub and Notion: what it
 * received, and errors it is told to answer. Both are keyed by token, so parallel tests do not mix.
 */

export type ReplayedRequest = {
  service: "github" | "notion";
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string;
  accept: string | null;
  notionVersion: string | null;
  githubApiVersion: string | null;
  userAgent: string | null;
  body: Answer;
};

export async function replayRequests(token: string): Promise<ReplayedRequest[]> {
  const response = await fetch(`${REPLAY_URL}/__requests?token=${encodeURIComponent(token)}`);
  return (await response.json()) as ReplayedRequest[];
}

/** The next request made with `token` (and matching method/path when given) gets this answer. */
export async function answerNext(
  token: string,
  answer: { preset: string } | { status: number; headers?: Record<string, string>; body?: unknown },
  match: { service?: "github" | "notion"; method?: string; path?: string; times?: number } = {},
): Promise<void> {
  const response = await fetch(`${REPLAY_URL}/__scenarios`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token, ...answer, ...match }),
  });
  if (response.status !== 201)
    throw new Error(`the replay server refused the scenario: ${await response.text()}`);
}

/** A unique fake token; "secret-value-" lets the leak check find it in the hub's log. */
export function fakeToken(who: string): string {
  return `secret-value-${who}-${uniqueName("tok")}`;
}

/** Links a credential as the person, through the REST API. */
export async function linkCredential(person: Person, name: string, value: string): Promise<void> {
  await apiOk("PUT", `/api/v1/me/credentials/${name}`, { key: person.key, body: { value }, status: 200 });
}

/** A built-in server of this kind (with a fixed prefix) in a new public group. */
export async function builtinInGroup(kind: "github" | "notion", prefix: string, tools?: string[]) {
  const server = await createServer(kind, { type: "builtin", builtin: kind, toolPrefix: prefix });
  const group = await createGroup([tools ? { name: server, tools } : server], { prefix: `${kind}-group` });
  return { server, group };
}

/** A person in `group` with `credential` linked to a fresh fake token (none when `linked` is false). */
export async function personWithToken(group: string, credential: string, who: string, linked = true) {
  const person = await createPerson(who);
  await setGroupActive(person, group);
  const token = fakeToken(who);
  if (linked) await linkCredential(person, credential, token);
  return { person, token };
}

/** Calls a tool through an MCP client and returns its text, structured content and error flag. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as Answer;
  const text = ((result.content ?? []) as Array<{ type: string; text?: string }>)
    .map((c) => c.text ?? "")
    .join("\n");
  return { text, structured: result.structuredContent as Answer, isError: result.isError === true };
}

/** MCP clients opened during a test file (SDK v2 over Streamable HTTP), closed together at the end. */
export function mcpClients() {
  const open: Client[] = [];
  return {
    async of(person: Person, path = "/api/mcp"): Promise<Client> {
      const { client } = await connectV2(path, person.key);
      open.push(client);
      return client;
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
    },
  };
}
