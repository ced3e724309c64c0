import type {
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from "@modelcontextprotocol/server";
import { linkMessage, linkUrl } from "@/lib/credentials/link-message";
import type { Server } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import { processWide } from "@/lib/process-wide";
import { isIsolatedProcess } from "@/lib/processes/isolated";
import { recordServerStatus, recordToolSnapshot } from "@/lib/servers/queries";
import { traceUpstreamCall } from "@/lib/telemetry/upstream-span";
import { MissingVariableError } from "@/lib/templates/template";
import { withTimeout } from "@/lib/upstream/connect";
import {
  DEFAULT_LIST_TIMEOUT_MS,
  getUpstreamPool,
  type UpstreamCaller,
  type UpstreamConnection,
} from "@/lib/upstream/pool";
import { describeError } from "@/lib/upstream/probe";
import { isSessionLost } from "@/lib/upstream/session-lost";
import { exposedToolName, serverPrefix } from "./names";
import type { VisibleServer } from "./visibility";

/** Where an exposed name leads; `missingCredential` when the person has not linked what the server needs. */
export type Route = { server: Server; upstreamName: string; missingCredential?: string };
export type ListKind = "tools" | "prompts" | "resources" | "resourceTemplates";
type Item = { tools: Tool; prompts: Prompt; resources: Resource; resourceTemplates: ResourceTemplate };

const MAX_PAGES = 50;

/** Lists that have arrived, by the promise cached on the connection (forgotten with it). */
const arrivedLists = processWide("arrivedUpstreamLists", () => new WeakMap<Promise<unknown[]>, unknown[]>());

/** Every page of one list from one upstream, cached on the connection until it says the list changed. */
export function listFromUpstream<K extends ListKind>(
  connection: UpstreamConnection,
  kind: K,
): Promise<Item[K][]> {
  const cached = connection.lists.get(kind);
  if (cached) return cached as Promise<Item[K][]>;
  const timeout = connection.server.config.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
  const capabilities = connection.client.getServerCapabilities();
  const supported =
    kind === "tools"
      ? capabilities?.tools
      : kind === "prompts"
        ? capabilities?.prompts
        : capabilities?.resources;
  const listMethod = kind === "resourceTemplates" ? "resources/templates/list" : `${kind}/list`;
  const loading = supported
    ? // telemetry hook: a client span for each list the upstream is actually asked for
      traceUpstreamCall(connection.server, listMethod, undefined, async () => {
        const items: Item[K][] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const params = cursor ? { cursor } : {};
          const client = connection.client;
          const result =
            kind === "tools"
              ? await client.listTools(params, { timeout })
              : kind === "prompts"
                ? await client.listPrompts(params, { timeout })
                : kind === "resources"
                  ? await client.listResources(params, { timeout })
                  : await client.listResourceTemplates(params, { timeout });
          const list =
            "tools" in result
              ? result.tools
              : "prompts" in result
                ? result.prompts
                : "resources" in result
                  ? result.resources
                  : result.resourceTemplates;
          items.push(...(list as Item[K][]));
          cursor = result.nextCursor;
          if (!cursor) break;
        }
        return items;
      })
    : Promise.resolve([]);
  const guarded = withTimeout(loading, timeout * 2, `${kind} list of ${connection.server.name}`);
  connection.lists.set(kind, guarded);
  guarded.then(
    (items) => {
      arrivedLists.set(guarded, items);
      if (kind === "tools") lastListedTools.set(connection.server.id, items as Tool[]);
      if (kind === "tools")
        void recordToolSnapshot(
          connection.server.id,
          (items as Tool[]).map((t) => ({
            name: t.name,
            description: t.description,
            inputSchema: t.inputSchema,
          })),
          connection.client.getNegotiatedProtocolVersion(),
        ).catch(() => {});
    },
    () => connection.lists.delete(kind),
  );
  return guarded;
}

/**
 * The list cached on an open connection, when it has arrived: what nearly every request finds.
 * Taken as it is, without the connection's promise, a list timeout's timer or a race per server
 * (for a person with 20 servers, each tools/call paid that 20 times).
 */
function listAtHand<K extends ListKind>(
  server: Server,
  caller: UpstreamCaller,
  kind: K,
): Item[K][] | undefined {
  const cached = getUpstreamPool().peek(server, caller)?.lists.get(kind);
  return cached && (arrivedLists.get(cached) as Item[K][] | undefined);
}

/** Lists from an upstream; one that forgot our session (it restarted) is asked once more on a new one. */
async function listWithFreshSessionRetry<K extends ListKind>(
  server: Server,
  caller: UpstreamCaller,
  kind: K,
): Promise<Item[K][]> {
  const pool = getUpstreamPool();
  const connection = await pool.acquire(server, caller);
  try {
    return await listFromUpstream(connection, kind);
  } catch (error) {
    if (!isSessionLost(error)) throw error;
    await pool.discard(connection);
    return listFromUpstream(await pool.acquire(server, caller), kind);
  }
}

export type Catalog<T> = { items: T[]; routes: Map<string, Route>; failed: string[] };

/**
 * Lists one kind across every visible server in parallel. A slow, dead or misbehaving upstream is
 * left out (and its error recorded for the admin); the others are served.
 */
async function gather<K extends ListKind>(
  visible: VisibleServer[],
  caller: UpstreamCaller,
  kind: K,
): Promise<
  Array<
    | { entry: VisibleServer; items: Item[K][] }
    | { entry: VisibleServer; error: string }
    | { entry: VisibleServer; missing: MissingVariableError }
  >
> {
  return Promise.all(
    visible.map(async (entry) => {
      const atHand = listAtHand(entry.server, caller, kind);
      if (atHand) return { entry, items: atHand };
      // The list timeout bounds the connect too: an upstream that hangs while starting must not hold
      // the others' list for the whole connect timeout. Its connect goes on in the background.
      const timeout = entry.server.config.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
      try {
        const items = await withTimeout(
          listWithFreshSessionRetry(entry.server, caller, kind),
          timeout,
          `${kind} list of ${entry.server.name}`,
        );
        return { entry, items };
      } catch (error) {
        if (error instanceof MissingVariableError && error.variable.kind === "credential")
          return { entry, missing: error };
        const message = describeError(error);
        logger.warn({ server: entry.server.name, kind, err: message }, "upstream left out of a list");
        void recordServerStatus(entry.server.id, { error: message }).catch(() => {});
        return { entry, error: message };
      }
    }),
  );
}

/**
 * The last tool catalog built for one answer of getVisibleServers (the same array for a second)
 * and the upstream lists it was built from (the same arrays until an upstream's list changes or
 * its connection is replaced). Every tools/call routes through the catalog: without this it named
 * every visible tool again on each call, 500 names for a person with 20 servers of 25 tools.
 */
const builtToolCatalogs = processWide(
  "builtToolCatalogs",
  () => new WeakMap<VisibleServer[], { lists: Tool[][]; catalog: Catalog<Tool> }>(),
);

/**
 * The tools a person sees, with exposed names, and the table that routes a call back. Callers
 * share the catalog they are given and must not change it.
 */
export async function buildToolCatalog(
  visible: VisibleServer[],
  caller: UpstreamCaller,
): Promise<Catalog<Tool>> {
  const results = await gather(visible, caller, "tools");
  const lists = results.flatMap((result) => ("items" in result ? [result.items] : []));
  // Only a catalog of servers that all answered is kept: one left out or waiting for a
  // credential is looked at again on the next request.
  const reusable = lists.length === results.length;
  const built = builtToolCatalogs.get(visible);
  if (reusable && built && lists.every((list, i) => list === built.lists[i])) return built.catalog;
  const catalog = assembleToolCatalog(results);
  if (reusable) builtToolCatalogs.set(visible, { lists, catalog });
  return catalog;
}

function assembleToolCatalog(results: Awaited<ReturnType<typeof gather<"tools">>>): Catalog<Tool> {
  const items: Tool[] = [];
  const routes = new Map<string, Route>();
  const failed: string[] = [];
  for (const result of results) {
    const unavailable = "error" in result;
    if (unavailable) {
      failed.push(result.entry.server.name);
      // A person's isolated process that crashed (or cannot start) keeps routing its last known
      // tools, unlisted, so a call answers why and when it restarts rather than "Unknown tool".
      if (!isIsolatedProcess(result.entry.server)) continue;
    }
    const { server, tools: chosen } = result.entry;
    const prefix = serverPrefix(server);
    // Without the person's credential the upstream cannot be reached: list the tools it had when
    // last listed, marked as needing the link, so people learn what to do instead of seeing nothing.
    const missing = "missing" in result ? result.missing.variable.name : undefined;
    // The snapshot in the database may not be there yet (it is written off the request path, and
    // the server row is cached for a second): this process's last list of the server stands in.
    const tools: Tool[] =
      "items" in result
        ? result.items
        : server.tools
          ? snapshotTools(server)
          : (lastListedTools.get(server.id) ?? []);
    for (const tool of tools) {
      if (chosen && !chosen.has(tool.name)) continue;
      const exposed = exposedToolName(prefix, tool.name);
      if (routes.has(exposed)) {
        logger.warn(
          { tool: exposed, server: server.name },
          "tool name collision: the first server keeps the name",
        );
        continue;
      }
      routes.set(exposed, {
        server,
        upstreamName: tool.name,
        ...(missing && { missingCredential: missing }),
      });
      if (unavailable) continue;
      items.push({
        ...tool,
        name: exposed,
        ...(missing && { description: `${linkMessage(missing)}\n\n${tool.description ?? ""}`.trim() }),
      });
    }
  }
  return { items, routes, failed };
}

/**
 * The tools each server listed last in this hub process: the fallback for a server that cannot be
 * listed right now (an isolated process that is down, a person without the credential) before its
 * snapshot reached the database (the snapshot is written off the request path, and the visible
 * servers are cached for a second).
 */
const lastListedTools = processWide("lastListedTools", () => new Map<string, Tool[]>());

function snapshotTools(server: Server): Tool[] {
  return (server.tools ?? []).map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: (t.inputSchema ?? { type: "object" }) as Tool["inputSchema"],
  }));
}

export { linkMessage, linkUrl };

/** Prompts, named like tools (prefix + separator), routed by exact lookup. */
export async function buildPromptCatalog(
  visible: VisibleServer[],
  caller: UpstreamCaller,
): Promise<Catalog<Prompt>> {
  const results = await gather(visible, caller, "prompts");
  const items: Prompt[] = [];
  const routes = new Map<string, Route>();
  for (const result of results) {
    if (!("items" in result)) continue;
    const prefix = serverPrefix(result.entry.server);
    for (const prompt of result.items) {
      const exposed = exposedToolName(prefix, prompt.name);
      if (routes.has(exposed)) continue;
      routes.set(exposed, { server: result.entry.server, upstreamName: prompt.name });
      items.push({ ...prompt, name: exposed });
    }
  }
  return { items, routes, failed: [] };
}

/** Resources keep their URIs (they are addresses, not names); reads are routed by the URI's owner. */
export async function buildResourceCatalog(
  visible: VisibleServer[],
  caller: UpstreamCaller,
  kind: "resources" | "resourceTemplates",
) {
  const results = await gather(visible, caller, kind);
  const items: Array<Resource | ResourceTemplate> = [];
  const owners: Array<{ server: Server; items: Array<Resource | ResourceTemplate> }> = [];
  for (const result of results) {
    if (!("items" in result)) continue;
    items.push(...result.items);
    owners.push({ server: result.entry.server, items: result.items });
  }
  return { items, owners };
}
