import { EventEmitter } from "node:events";
import type { Client } from "@modelcontextprotocol/client";
import { type BuiltinKind, connectBuiltin } from "@/lib/builtin";
import { onClusterEvent } from "@/lib/cluster/bus";
import { credentialsChangedSince, getCredentialValues, onCredentialChange } from "@/lib/credentials/queries";
import type { Server } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import { processWide } from "@/lib/process-wide";
import { connectIsolatedProcess, isIsolatedProcess, processExitReason } from "@/lib/processes/isolated";
import { TemplateError } from "@/lib/templates/template";
import { connectUpstream } from "./connect";
import { listenForListChanges, speaksModern } from "./era";
import { credentialsNeeded } from "./needs";
import { CallRelay, canRelay, RELAY_CAPABILITIES } from "./relay";
import type { UpstreamCaller } from "./request-context";
import { resolveUpstream } from "./resolve";
import { resourceSubscriptions } from "./subscriptions";

export type { UpstreamCaller };

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_LIST_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 30_000;

/** One live connection to an upstream, for everyone (`isolation: none`) or for one person. */
export type UpstreamConnection = {
  key: string;
  server: Server;
  client: Client;
  lastUsed: number;
  /** When it was opened: a credential changed later (on another instance, while unheard) makes it stale. */
  openedAt: number;
  /** Cached lists, dropped when the upstream says its list changed. */
  lists: Map<string, Promise<unknown[]>>;
  /**
   * Why the connection closed, when the hub knows better than the SDK's "Connection closed" (a
   * process that exited, and what it said last): set before the calls in flight are failed.
   */
  closedReason?: string;
  /** Passes the upstream's questions and log lines to the person whose request they belong to. */
  relay?: CallRelay;
};

type Failure = { count: number; retryAt: number; message: string };

/** Emits "list_changed" (serverId, kind) when an upstream's tools, prompts or resources change. */
export const upstreamEvents = processWide("upstreamEvents", () => new EventEmitter().setMaxListeners(0));

function connectionKey(server: Server, caller: UpstreamCaller): string {
  const owner = server.isolation === "none" ? "shared" : caller.userId;
  return `${server.id}:${server.configVersion}:${owner}`;
}

/**
 * Reuses upstream connections instead of opening one per call: one shared connection for
 * `isolation: none`, one per person otherwise (never another person's). A connection that dies is
 * dropped and reopened on next use, after a backoff that grows with repeated failures.
 */
export class UpstreamPool {
  private readonly connections = new Map<string, Promise<UpstreamConnection>>();
  /** Connections that finished opening, by the promise the pool holds (gone when it is dropped). */
  private readonly opened = new WeakMap<Promise<UpstreamConnection>, UpstreamConnection>();
  private readonly failures = new Map<string, Failure>();
  private readonly reaper: NodeJS.Timeout;

  constructor() {
    this.reaper = setInterval(() => this.reapIdle(), 60_000);
    this.reaper.unref();
  }

  async acquire(server: Server, caller: UpstreamCaller): Promise<UpstreamConnection> {
    const key = connectionKey(server, caller);
    const existing = this.connections.get(key);
    if (existing) {
      const connection = await existing;
      connection.lastUsed = Date.now();
      return connection;
    }
    const failure = this.failures.get(key);
    if (failure && failure.retryAt > Date.now()) {
      const seconds = Math.ceil((failure.retryAt - Date.now()) / 1000);
      throw new Error(`${server.name} is unavailable (${failure.message}); the hub retries in ${seconds} s`);
    }
    this.closeOtherVersions(server);
    const opening =
      server.config.type === "builtin"
        ? this.openBuiltin(key, server, server.config.builtin, caller)
        : this.open(key, server, caller);
    this.connections.set(key, opening);
    opening.then(
      (connection) => this.opened.set(opening, connection),
      () => {
        if (this.connections.get(key) === opening) this.connections.delete(key);
      },
    );
    return opening;
  }

  /** The connection acquire() would give, when it is already open: no waiting, no opening. */
  peek(server: Server, caller: UpstreamCaller): UpstreamConnection | undefined {
    const pending = this.connections.get(connectionKey(server, caller));
    const connection = pending && this.opened.get(pending);
    if (connection) connection.lastUsed = Date.now();
    return connection;
  }

  private async open(key: string, server: Server, caller: UpstreamCaller): Promise<UpstreamConnection> {
    let stderr = "";
    try {
      const needed = server.isolation === "none" ? [] : credentialsNeeded(server.config);
      const values = {
        credentials: await getCredentialValues(caller.userId, needed),
        context: {
          MCPHUB_USER_ID: caller.userId,
          MCPHUB_USER_EMAIL: caller.email,
          MCPHUB_REQUEST_ID: caller.requestId,
        },
        hub: process.env,
      };
      const relay = canRelay(server)
        ? new CallRelay(server, server.isolation === "none" ? null : caller.userId)
        : undefined;
      // isolation "process": lib/processes owns the sandboxed process, its stderr, backoff and lifecycle.
      const client = isIsolatedProcess(server)
        ? await connectIsolatedProcess(server, caller, values, CONNECT_TIMEOUT_MS)
        : await connectUpstream(resolveUpstream(server.config, values), {
            timeoutMs: CONNECT_TIMEOUT_MS,
            onStderr: (chunk) => (stderr = (stderr + chunk).slice(-4_000)),
            contextHeaders:
              server.config.type !== "stdio" &&
              server.config.type !== "builtin" &&
              server.config.contextHeaders === true,
            ...(relay && { capabilities: RELAY_CAPABILITIES }),
            protocolVersion: server.config.protocolVersion,
          });
      relay?.install(client);
      const connection: UpstreamConnection = {
        key,
        server,
        client,
        lastUsed: Date.now(),
        openedAt: Date.now(),
        lists: new Map(),
        relay,
      };
      for (const kind of ["tools", "prompts", "resources"] as const) {
        client.setNotificationHandler(`notifications/${kind}/list_changed`, () => {
          connection.lists.delete(kind);
          if (kind === "resources") connection.lists.delete("resourceTemplates");
          upstreamEvents.emit("list_changed", server.id, kind);
        });
      }
      client.setNotificationHandler("notifications/resources/updated", (notification) => {
        void resourceSubscriptions.updated(connection, notification.params.uri);
      });
      let open = true;
      if (speaksModern(client))
        await listenForListChanges(client, {
          isOpen: () => open,
          onLost: () => {
            connection.lists.clear();
            for (const kind of ["tools", "prompts", "resources"])
              upstreamEvents.emit("list_changed", server.id, kind);
          },
        }).catch((error: unknown) =>
          logger.warn(
            { server: server.name, err: error instanceof Error ? error.message : String(error) },
            "the upstream refused to report list changes; the hub sees them only when the connection reopens",
          ),
        );
      // Sessions' subscriptions made on an earlier connection of this key are made on this one.
      void resourceSubscriptions.resubscribe(connection);
      // The SDK calls onclose before it fails the requests in flight, so they can say why.
      client.onclose = () => {
        open = false;
        const current = this.connections.get(key);
        void current?.then((c) => {
          if (c === connection) this.connections.delete(key);
        });
        if (isIsolatedProcess(server)) {
          connection.closedReason = processExitReason(server, caller.userId);
        } else if (server.config.type === "stdio") {
          const said = stderr.trim().split("\n").at(-1)?.trim();
          connection.closedReason = `the process exited${said ? `: ${said.slice(0, 300)}` : ""}`;
          // A process that had started and answered is restarted by the very next call; a process
          // that keeps failing to start backs off (open() records those failures).
          this.recordFailure(key, connection.closedReason, { immediate: true });
        }
      };
      this.failures.delete(key);
      return connection;
    } catch (error) {
      // A missing credential is the person's to fix, not the upstream's fault: no backoff.
      if (error instanceof TemplateError) throw error;
      // The process manager keeps its own crash backoff and says when it retries.
      if (isIsolatedProcess(server)) throw error;
      // A stdio server that dies while starting usually says why on stderr ("Connection closed"
      // alone tells the admin nothing): keep its last line with the error.
      const said = stderr.trim().split("\n").at(-1)?.trim();
      const failure =
        said && error instanceof Error
          ? Object.assign(new Error(`${error.message}; stderr: ${said.slice(0, 500)}`), {
              code: (error as NodeJS.ErrnoException).code,
            })
          : error;
      this.recordFailure(key, failure instanceof Error ? failure.message : String(failure));
      throw failure;
    }
  }

  // --- built-in servers (lib/builtin) ---
  /**
   * A built-in server runs in this process, bound to the caller's own token (per person, like
   * `token` isolation). A missing credential is a MissingVariableError, as for templates: no backoff.
   */
  private async openBuiltin(
    key: string,
    server: Server,
    kind: BuiltinKind,
    caller: UpstreamCaller,
  ): Promise<UpstreamConnection> {
    const client = await connectBuiltin(kind, caller);
    const connection: UpstreamConnection = {
      key,
      server,
      client,
      lastUsed: Date.now(),
      openedAt: Date.now(),
      lists: new Map(),
    };
    client.onclose = () => {
      void this.connections.get(key)?.then((c) => {
        if (c === connection) this.connections.delete(key);
      });
    };
    return connection;
  }
  // --- end of built-in servers ---

  private recordFailure(key: string, message: string, options: { immediate?: boolean } = {}) {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const delay = options.immediate ? 0 : Math.min(MAX_BACKOFF_MS, 250 * 2 ** (count - 1));
    this.failures.set(key, { count, retryAt: Date.now() + delay, message });
  }

  /** Drops one connection (after a session-lost answer), so the next use reconnects. */
  async discard(connection: UpstreamConnection): Promise<void> {
    if ((await this.connections.get(connection.key)?.catch(() => undefined)) === connection)
      this.connections.delete(connection.key);
    await connection.client.close().catch(() => {});
  }

  /** Closes every connection of a server whose configuration changed. */
  private closeOtherVersions(server: Server) {
    for (const [key, connection] of this.connections) {
      if (key.startsWith(`${server.id}:`) && !key.startsWith(`${server.id}:${server.configVersion}:`)) {
        this.connections.delete(key);
        void connection.then((c) => c.client.close()).catch(() => {});
      }
    }
  }

  private reapIdle() {
    const cutoff = Date.now() - IDLE_MS;
    for (const [key, pending] of this.connections) {
      void pending
        .then((connection) => {
          // Isolated processes are reaped by the process manager, after their server's idle time.
          if (isIsolatedProcess(connection.server)) return;
          // A session waiting for a resource's updates keeps the connection that brings them.
          if (resourceSubscriptions.holds(connection.key)) return;
          if (connection.lastUsed < cutoff && this.connections.get(key) === pending) {
            this.connections.delete(key);
            return connection.client.close();
          }
        })
        .catch(() => {});
    }
  }

  /** Closes one person's connections to the servers that use a credential they just changed. */
  dropCredentialUsers(userId: string, credential: string): void {
    for (const key of this.failures.keys()) if (key.endsWith(`:${userId}`)) this.failures.delete(key);
    for (const [key, pending] of this.connections) {
      if (!key.endsWith(`:${userId}`)) continue;
      void pending
        .then((connection) => {
          if (!credentialsNeeded(connection.server.config).includes(credential)) return;
          if (this.connections.get(key) === pending) this.connections.delete(key);
          return connection.client.close();
        })
        .catch(() => {});
    }
  }

  /**
   * After the cluster bus lost events: drops every person's connection opened before a credential
   * of theirs was last changed (by any instance), as if each change had been heard.
   */
  async dropStaleCredentialUsers(): Promise<void> {
    const open = (await Promise.all([...this.connections.values()].map((p) => p.catch(() => null)))).filter(
      (c): c is UpstreamConnection => c !== null && c.server.isolation !== "none",
    );
    if (open.length === 0) return;
    const since = new Date(Math.min(...open.map((c) => c.openedAt)));
    for (const changed of await credentialsChangedSince(since)) {
      for (const connection of open) {
        if (!connection.key.endsWith(`:${changed.userId}`)) continue;
        if (connection.openedAt >= changed.updatedAt.getTime()) continue;
        if (!credentialsNeeded(connection.server.config).includes(changed.name)) continue;
        await this.discard(connection);
      }
    }
  }

  get size(): number {
    return this.connections.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((p) => p.then((c) => c.client.close()).catch(() => {})));
  }
}

const holder = globalThis as typeof globalThis & { __mcphubUpstreamPool?: UpstreamPool };

/** The process-wide pool. */
export function getUpstreamPool(): UpstreamPool {
  if (!holder.__mcphubUpstreamPool) {
    const pool = new UpstreamPool();
    // A replaced credential must not keep serving calls with the old value.
    onCredentialChange((userId, name) => pool.dropCredentialUsers(userId, name));
    onClusterEvent("resync", () => {
      pool
        .dropStaleCredentialUsers()
        .catch((error) =>
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            "could not check credentials after a resync",
          ),
        );
    });
    holder.__mcphubUpstreamPool = pool;
  }
  return holder.__mcphubUpstreamPool;
}
