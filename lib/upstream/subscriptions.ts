import type { Client } from "@modelcontextprotocol/client";
import { processWide } from "@/lib/process-wide";
import { speaksModern } from "./era";

/** One client session that asked to hear when a resource changes. */
export type ResourceSubscriber = {
  userId: string;
  /** Sends notifications/resources/updated to the session's client. */
  updated: (uri: string) => Promise<void>;
  /** Whether the session's person still sees the server (groups change while sessions live). */
  canSee: (serverId: string) => Promise<boolean>;
};

/** The part of an upstream connection a subscription needs. */
type Upstream = { key: string; server: { id: string }; client: Client };

type Entry = {
  upstream: Upstream;
  uri: string;
  subscribers: Set<ResourceSubscriber>;
  /** Ends the upstream's subscription (set once it is made). */
  end?: () => Promise<void>;
};

/**
 * Subscribes an upstream connection to one resource: resources/subscribe on 2025-11-25, a
 * subscriptions/listen stream for that URI on 2026-07-28 (its updates reach the same handler).
 */
async function subscribeUpstream(client: Client, uri: string): Promise<() => Promise<void>> {
  if (speaksModern(client)) {
    const listening = await client.listen({ resourceSubscriptions: [uri] });
    return () => listening.close();
  }
  await client.subscribeResource({ uri });
  return async () => {
    await client.unsubscribeResource({ uri });
  };
}

/**
 * Resource subscriptions of client sessions, multiplexed onto upstream connections: the upstream
 * is subscribed once per connection and URI however many sessions ask, unsubscribed when the last
 * one leaves, and subscribed again when its connection is reopened. An update is passed only to the
 * sessions that subscribed through that very connection (a per-person connection's updates reach
 * its owner alone) and that still see the server.
 */
export class ResourceSubscriptions {
  private readonly entries = new Map<string, Entry>();

  private static keyOf(upstream: Upstream, uri: string): string {
    return `${upstream.key}\n${uri}`;
  }

  async subscribe(upstream: Upstream, uri: string, subscriber: ResourceSubscriber): Promise<void> {
    const key = ResourceSubscriptions.keyOf(upstream, uri);
    const existing = this.entries.get(key);
    if (existing) {
      existing.subscribers.add(subscriber);
      return;
    }
    const entry: Entry = { upstream, uri, subscribers: new Set([subscriber]) };
    this.entries.set(key, entry);
    try {
      entry.end = await subscribeUpstream(upstream.client, uri);
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  /** Ends a session's subscription to `uri` (none: nothing to do), the upstream's with the last one. */
  async unsubscribe(uri: string, subscriber: ResourceSubscriber): Promise<void> {
    await Promise.all(
      [...this.entries]
        .filter(([, entry]) => entry.uri === uri && entry.subscribers.has(subscriber))
        .map(([key, entry]) => this.leave(key, entry, subscriber)),
    );
  }

  /** A session ended: its subscriptions go, and the upstream's where it was the last subscriber. */
  dropSubscriber(subscriber: ResourceSubscriber): void {
    for (const [key, entry] of [...this.entries])
      if (entry.subscribers.has(subscriber)) void this.leave(key, entry, subscriber);
  }

  private async leave(key: string, entry: Entry, subscriber: ResourceSubscriber): Promise<void> {
    entry.subscribers.delete(subscriber);
    if (entry.subscribers.size > 0 || this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    await entry.end?.().catch(() => {});
  }

  /** The upstream said a resource changed: tell the sessions subscribed through this connection. */
  async updated(upstream: Upstream, uri: string): Promise<void> {
    const entry = this.entries.get(ResourceSubscriptions.keyOf(upstream, uri));
    if (!entry) return;
    await Promise.all(
      [...entry.subscribers].map(async (subscriber) => {
        if (await subscriber.canSee(upstream.server.id).catch(() => false))
          await subscriber.updated(uri).catch(() => {});
      }),
    );
  }

  /** A connection was (re)opened: the subscriptions held for its key are made on it again. */
  async resubscribe(upstream: Upstream): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.upstream.key !== upstream.key || entry.upstream === upstream) continue;
      entry.upstream = upstream;
      entry.end = await subscribeUpstream(upstream.client, entry.uri).catch(() => undefined);
    }
  }

  /** Whether a connection carries subscriptions (the idle reaper leaves those open). */
  holds(connectionKey: string): boolean {
    for (const entry of this.entries.values()) if (entry.upstream.key === connectionKey) return true;
    return false;
  }
}

export const resourceSubscriptions = processWide("resourceSubscriptions", () => new ResourceSubscriptions());
