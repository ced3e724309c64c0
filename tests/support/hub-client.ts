import { ADMIN } from "./env";
import { type Answer, MCP_ACCEPT, type McpAnswer, readAnswer } from "./mcp";
import { uniqueName, uniqueUser } from "./users";

/**
 * REST and MCP calls to a hub of a test's own (spawnHub): the same helpers as tests/support/mcp.ts,
 * with the hub's URL as an argument. The hub must bootstrap the test admin (ADMIN's key).
 */
export function hubClient(url: string) {
  async function api(
    method: string,
    path: string,
    body?: unknown,
    key: string = ADMIN.apiKey,
  ): Promise<Answer> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body !== undefined && { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A person with a key, in a new public group of these new servers (name → configuration). */
  async function personWithServers(prefix: string, servers: Record<string, Record<string, unknown>>) {
    const names: Record<string, string> = {};
    for (const [label, config] of Object.entries(servers)) {
      names[label] = uniqueName(label);
      await api("POST", "/api/v1/servers", { name: names[label], ...config });
    }
    const group = uniqueName("group");
    await api("POST", "/api/v1/groups", { name: group, servers: Object.values(names), visibility: "public" });
    const who = uniqueUser(prefix);
    const user = await api("POST", "/api/v1/users", { email: who.email, name: who.name, role: "user" });
    const { key } = await api("POST", `/api/v1/users/${user.id}/keys`, { name: `${prefix} laptop` });
    await api("PUT", `/api/v1/me/groups/${group}`, { active: true }, key);
    return { id: user.id as string, key: key as string, servers: names, group };
  }

  /** One raw MCP POST; `key` goes in the Authorization header unless `query` is true. */
  async function mcp(
    body: unknown,
    options: { key: string; path?: string; query?: boolean; headers?: Record<string, string> },
  ): Promise<McpAnswer> {
    const path = options.path ?? "/api/mcp";
    const target = options.query ? `${path}?key=${encodeURIComponent(options.key)}` : path;
    const response = await fetch(`${url}${target}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: MCP_ACCEPT,
        ...(!options.query && { Authorization: `Bearer ${options.key}` }),
        ...options.headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return readAnswer(response);
  }

  return { api, personWithServers, mcp };
}
