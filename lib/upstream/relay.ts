import { AsyncLocalStorage } from "node:async_hooks";
import type { Client, ClientCapabilities } from "@modelcontextprotocol/client";
import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/client";
import type { Server } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import { hubMetrics } from "@/lib/metrics/hub-metrics";
import { processWide } from "@/lib/process-wide";
import type { Deadline } from "./deadline";

/** How long the hub waits for a person to answer an upstream's question before it gives up. */
export const RELAY_TIMEOUT_MS = 10 * 60_000;

const LOG_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Message = { method: string; params?: Record<string, unknown> };

/**
 * Where an upstream's own messages go while one of a person's requests runs: the client-facing
 * side of that request (its stream, the person's client's capabilities, their log level).
 */
export type RelayTarget = {
  userId: string;
  /**
   * The person's client, when it can take a request now: a 2025-11-25 session, whose request
   * stream can carry one. Unset for stateless exchanges and 2026-07-28 requests.
   */
  client?: {
    capabilities: () => ClientCapabilities | undefined;
    send: (request: Message, options: { signal: AbortSignal; timeout: number }) => Promise<unknown>;
    /** Told when the client lacks what a question needs (a 2026-07-28 request answers -32021 then). */
    lacks?: (required: ClientCapabilities, message: string) => void;
  };
  /** Sends a notification on the stream of the request being served. */
  notify: (notification: Message) => Promise<void>;
  /** The lowest level the person's client asked for with logging/setLevel (unset: every level). */
  logLevel: () => LogLevel | undefined;
  /** The call's time limit, paused while the person answers a question. */
  deadline?: Deadline;
};

/** The request being served upstream, visible to whatever the upstream sends on that request's stream. */
const relayContext = processWide("upstreamRelayContext", () => new AsyncLocalStorage<RelayTarget>());

/**
 * What the hub tells an upstream it can do, when it can pass the upstream's requests on to a
 * person. Whether this person's client can do it too is checked per request.
 */
export const RELAY_CAPABILITIES: ClientCapabilities = { sampling: {}, elicitation: { form: {}, url: {} } };

/**
 * Whether an upstream's messages can be attributed to one person's request. A per-person
 * connection belongs to one person whatever it says. A shared one only over streamable HTTP,
 * where what belongs to a request arrives on that request's own response stream; a shared stdio
 * process or SSE stream mixes everyone's traffic on one pipe, and guessing from which calls are
 * running could hand one person's prompt to another.
 */
export function canRelay(server: Pick<Server, "isolation" | "config">): boolean {
  if (server.config.type === "builtin") return false; // the built-ins ask nothing
  return server.isolation !== "none" || server.config.type === "streamable-http";
}

/**
 * The relay of one upstream connection: it knows the requests running on it and passes the
 * upstream's questions (elicitation, sampling) and log lines to the person whose request they
 * belong to, and to nobody else.
 */
export class CallRelay {
  private readonly running = new Set<RelayTarget>();

  constructor(
    private readonly server: Pick<Server, "name">,
    /** The person a per-person connection belongs to; null for a shared connection. */
    private readonly owner: string | null,
  ) {}

  /** Runs one request to the upstream, so what the upstream sends for it reaches `target`. */
  async run<T>(target: RelayTarget, request: () => Promise<T>): Promise<T> {
    if (this.owner !== null && target.userId !== this.owner)
      throw new Error("a request was routed to another person's upstream connection");
    this.running.add(target);
    try {
      return await relayContext.run(target, request);
    } finally {
      this.running.delete(target);
    }
  }

  /**
   * Whose request a message belongs to: the request whose stream carried it; on a per-person
   * connection whose transport cannot say (stdio, SSE), the owner's latest running request.
   */
  private targetOfMessage(): RelayTarget | undefined {
    const carrier = relayContext.getStore();
    if (carrier && this.running.has(carrier)) return carrier;
    if (this.owner === null) return undefined;
    let latest: RelayTarget | undefined;
    for (const target of this.running) latest = target;
    return latest;
  }

  install(client: Client): void {
    for (const method of ["elicitation/create", "sampling/createMessage"] as const)
      client.setRequestHandler(
        method,
        async (request, ctx) => (await this.ask(request, ctx.mcpReq.signal)) as never,
      );
    client.setNotificationHandler("notifications/message", (notification) => {
      const target = this.targetOfMessage();
      if (!target) return;
      const params = notification.params;
      const threshold = target.logLevel();
      if (threshold && LOG_LEVELS.indexOf(params.level) < LOG_LEVELS.indexOf(threshold)) return;
      // The person's client sees every server of their groups at once: the logger names which one.
      const loggerName = params.logger ? `${this.server.name}/${params.logger}` : this.server.name;
      void target
        .notify({ method: "notifications/message", params: { ...params, logger: loggerName } })
        .catch(() => {});
    });
    client.setNotificationHandler("notifications/elicitation/complete", (notification) => {
      void this.targetOfMessage()
        ?.notify({ method: notification.method, params: notification.params })
        .catch(() => {});
    });
  }

  /** Passes one upstream request to the person it belongs to, or refuses it saying why. */
  private ask(request: Message, signal: AbortSignal): Promise<unknown> {
    return askPerson(this.server.name, this.targetOfMessage(), request, signal);
  }
}

/**
 * Asks the person whose request `target` is what an upstream wants to know (elicitation, sampling)
 * and returns their client's answer, or refuses saying why: nobody's request, no stream to their
 * client, or a client that did not declare what the question needs. The call's deadline pauses
 * while the person answers.
 */
export async function askPerson(
  serverName: string,
  target: RelayTarget | undefined,
  request: Message,
  signal: AbortSignal,
): Promise<unknown> {
  const count = (outcome: string) =>
    hubMetrics.upstreamRequests.inc({ server: serverName, method: request.method, outcome });
  const refuse = (outcome: string, code: number, message: string) => {
    count(outcome);
    return new ProtocolError(code, message);
  };
  if (!target)
    throw refuse(
      "unattributed",
      ProtocolErrorCode.InvalidRequest,
      `MCPHub passes ${request.method} on only while a request of the person it is for is running, on that request's stream`,
    );
  if (!target.client)
    throw refuse(
      "no_stream",
      ProtocolErrorCode.MethodNotFound,
      `MCPHub cannot pass ${request.method} on to this request's client: only a request in a 2025-11-25 session, or a tools/call of a 2026-07-28 client, can carry it (not a stateless 2025-11-25 request or the portal's tool form)`,
    );
  const required = requiredCapabilities(request);
  if (!satisfies(target.client.capabilities(), required)) {
    const message = `The person's client does not support ${request.method}${describeMode(request)}`;
    target.client.lacks?.(required, message);
    throw refuse("missing_capability", ProtocolErrorCode.MethodNotFound, message);
  }
  logger.info(
    { server: serverName, userId: target.userId, method: request.method },
    "passing an upstream's request on to the person's client",
  );
  const resume = target.deadline?.pause();
  try {
    const answer = await target.client.send(
      { method: request.method, ...(request.params && { params: request.params }) },
      { signal, timeout: RELAY_TIMEOUT_MS },
    );
    count("answered");
    return answer;
  } catch (error) {
    count("failed");
    throw error;
  } finally {
    resume?.();
  }
}

/** What a client must have declared to take this request. */
function requiredCapabilities(request: Message): ClientCapabilities {
  if (request.method === "sampling/createMessage") {
    const usesTools = request.params?.tools !== undefined || request.params?.toolChoice !== undefined;
    return { sampling: usesTools ? { tools: {} } : {} };
  }
  return { elicitation: request.params?.mode === "url" ? { url: {} } : { form: {} } };
}

function satisfies(declared: ClientCapabilities | undefined, required: ClientCapabilities): boolean {
  if (required.sampling)
    return declared?.sampling !== undefined && (!required.sampling.tools || !!declared.sampling.tools);
  const elicitation = declared?.elicitation;
  if (!elicitation) return false;
  if (required.elicitation?.url) return elicitation.url !== undefined;
  // An empty elicitation capability means form mode (the 2025-06-18 form of the capability).
  return elicitation.form !== undefined || Object.keys(elicitation).length === 0;
}

function describeMode(request: Message): string {
  if (request.method !== "elicitation/create") return "";
  return ` (${request.params?.mode === "url" ? "url" : "form"} mode)`;
}

/** Runs a request to the upstream through its connection's relay, when it has one. */
export function relayed<T>(
  relay: CallRelay | undefined,
  target: RelayTarget,
  request: () => Promise<T>,
): Promise<T> {
  return relay ? relay.run(target, request) : request();
}

/**
 * The target of a request that did not come from an MCP client (the portal's "try a tool" form):
 * there is no client to ask, so the upstream's questions are refused with the reason.
 */
export function unrelayed(userId: string): RelayTarget {
  return { userId, notify: async () => {}, logLevel: () => undefined };
}
