import type { Server, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import { processWide } from "@/lib/process-wide";
import type { Scope } from "./visibility";

/** A 2025-11-25 session: its own server and transport, bound to the person whose key opened it. */
export type McpSession = {
  id: string;
  userId: string;
  scope: Scope;
  server: Server;
  transport: WebStandardStreamableHTTPServerTransport;
  lastSeen: number;
};

export const SESSION_IDLE_MS = 30 * 60_000;
export const MAX_SESSIONS_PER_USER = 50;

type Store = { sessions: Map<string, McpSession>; sweeper?: NodeJS.Timeout };
const store = processWide<Store>("mcpSessions", () => ({ sessions: new Map() }));

export function getSession(id: string): McpSession | undefined {
  return store.sessions.get(id);
}

/** Registers a session; a person over the cap loses their least recently used one. */
export function addSession(session: McpSession): void {
  const mine = [...store.sessions.values()]
    .filter((s) => s.userId === session.userId)
    .sort((a, b) => a.lastSeen - b.lastSeen);
  for (const old of mine.slice(0, Math.max(0, mine.length - MAX_SESSIONS_PER_USER + 1)))
    void closeSession(old.id);
  store.sessions.set(session.id, session);
  store.sweeper ??= setInterval(sweepIdleSessions, 60_000);
  store.sweeper.unref?.();
}

export async function closeSession(id: string): Promise<void> {
  const session = store.sessions.get(id);
  if (!session) return;
  store.sessions.delete(id);
  await session.transport.close().catch(() => {});
  await session.server.close().catch(() => {});
}

/** Ends every session of a person (disabled, deleted). */
export async function closeSessionsOf(userId: string): Promise<void> {
  await Promise.all(
    [...store.sessions.values()].filter((s) => s.userId === userId).map((s) => closeSession(s.id)),
  );
}

function sweepIdleSessions() {
  const cutoff = Date.now() - SESSION_IDLE_MS;
  for (const session of store.sessions.values()) if (session.lastSeen < cutoff) void closeSession(session.id);
}

export function sessionCount(): number {
  return store.sessions.size;
}
