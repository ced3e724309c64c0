import { randomBytes } from "node:crypto";
import { getEnv } from "@/lib/config/env";
import { getPostgresClient } from "@/lib/db";
import { logger } from "@/lib/logger";
import { processWide } from "@/lib/process-wide";

/**
 * What one instance tells the others, so several `next start` processes on one PostgreSQL behave
 * as one hub. Each kind names a cache to drop; none carries a secret (keys travel as their hash).
 */
export type ClusterEvent =
  | { kind: "key-revoked"; hashedKey: string }
  | { kind: "user-changed"; userId: string }
  | { kind: "visibility-changed" }
  | { kind: "credential-changed"; userId: string; name: string }
  | { kind: "rate-limits-changed" }
  /** Another instance is about to run this person's isolated process: stop yours. */
  | { kind: "process-release"; userId: string; serverId: string }
  /** The bus (re)connected after missing events: every cache starts over. */
  | { kind: "resync" };

type Kind = ClusterEvent["kind"];
type Handler<K extends Kind> = (event: Extract<ClusterEvent, { kind: K }>) => void;
type AnyHandler = (event: ClusterEvent) => void;

export const CLUSTER_CHANNEL = "mcphub_cluster";

type BusState = {
  instanceId: string;
  handlers: Map<Kind, Set<AnyHandler>>;
  listening?: Promise<void>;
  connected: boolean;
};
// On globalThis: Next.js may load this module once per route bundle; one process has one bus.
const bus = processWide<BusState>("clusterBus", () => ({
  instanceId: `${process.pid}-${randomBytes(6).toString("hex")}`,
  handlers: new Map(),
  connected: false,
}));

/** This process's id on the bus (its own notifications come back to it and are skipped). */
export function busInstanceId(): string {
  return bus.instanceId;
}

/** True while this instance hears the others (always true on the embedded database: one instance). */
export function busConnected(): boolean {
  return bus.connected;
}

/**
 * Runs `handler` for every event of `kind`, from this instance or another. A cache also listens to
 * "resync", which the bus sends after it lost events.
 */
export function onClusterEvent<K extends Kind>(kind: K, handler: Handler<K>): () => void {
  let set = bus.handlers.get(kind);
  if (!set) {
    set = new Set();
    bus.handlers.set(kind, set);
  }
  const any = handler as AnyHandler;
  set.add(any);
  return () => set.delete(any);
}

function deliver(event: ClusterEvent): void {
  for (const handler of bus.handlers.get(event.kind) ?? []) {
    try {
      handler(event);
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error), kind: event.kind },
        "cluster event handler failed",
      );
    }
  }
}

/**
 * Applies an event here at once, then tells the other instances (PostgreSQL NOTIFY). Sending is
 * not awaited by callers' responses; a failure is logged, and the other instances' one-second
 * cache lifetimes bound how long they can lag.
 */
export function broadcast(event: ClusterEvent): void {
  deliver(event);
  void notifyOthers(event);
}

/** Tells only the other instances (a request to them, such as handing a process over). */
export function tellOthers(event: ClusterEvent): void {
  void notifyOthers(event);
}

async function notifyOthers(event: ClusterEvent): Promise<void> {
  try {
    const sql = await getPostgresClient();
    if (!sql) return;
    await sql.notify(CLUSTER_CHANNEL, JSON.stringify({ from: bus.instanceId, event }));
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error), kind: event.kind },
      "could not notify the other instances",
    );
  }
}

/** Validates a notification from the channel: anything malformed is dropped, never trusted. */
export function parseNotification(payload: string): { from: string; event: ClusterEvent } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { from, event } = parsed as { from?: unknown; event?: Record<string, unknown> };
  if (typeof from !== "string" || typeof event !== "object" || event === null) return null;
  const text = (key: string) => typeof event[key] === "string" && (event[key] as string).length <= 256;
  switch (event.kind) {
    case "key-revoked":
      return text("hashedKey")
        ? { from, event: { kind: "key-revoked", hashedKey: event.hashedKey as string } }
        : null;
    case "user-changed":
      return text("userId")
        ? { from, event: { kind: "user-changed", userId: event.userId as string } }
        : null;
    case "credential-changed":
      return text("userId") && text("name")
        ? {
            from,
            event: { kind: "credential-changed", userId: event.userId as string, name: event.name as string },
          }
        : null;
    case "process-release":
      return text("userId") && text("serverId")
        ? {
            from,
            event: {
              kind: "process-release",
              userId: event.userId as string,
              serverId: event.serverId as string,
            },
          }
        : null;
    case "visibility-changed":
    case "rate-limits-changed":
    case "resync":
      return { from, event: { kind: event.kind } };
    default:
      return null;
  }
}

/**
 * Starts listening to the other instances (once per process). On PostgreSQL the listening
 * connection reconnects by itself; every (re)connection resyncs, since events sent while it was
 * down are lost. On the embedded database there are no other instances.
 */
export function startClusterBus(): Promise<void> {
  bus.listening ??= (async () => {
    const sql = await getPostgresClient();
    if (!sql) {
      bus.connected = true;
      return;
    }
    let first = true;
    await sql.listen(
      CLUSTER_CHANNEL,
      (payload) => {
        const message = parseNotification(payload);
        if (!message) {
          logger.warn("ignored a malformed cluster notification");
          return;
        }
        if (message.from !== bus.instanceId) deliver(message.event);
      },
      () => {
        bus.connected = true;
        if (!first) {
          logger.info("cluster bus reconnected: dropping every cache");
          deliver({ kind: "resync" });
        }
        first = false;
      },
    );
    logger.info(
      { instance: getEnv().MCPHUB_INSTANCE_ID ?? bus.instanceId },
      "listening to the other instances",
    );
  })().catch((error) => {
    bus.listening = undefined;
    throw error;
  });
  return bus.listening;
}
