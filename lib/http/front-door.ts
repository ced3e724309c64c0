import http from "node:http";
import type { Duplex } from "node:stream";
import { processWide } from "@/lib/process-wide";

/** Answers a request itself (true) or leaves it to the next step and finally to Next.js (false). */
export type FrontDoorStep = (request: http.IncomingMessage, response: http.ServerResponse) => boolean;

/** Answers, on the socket itself, a request Node's HTTP parser refused before there was a request. */
export type ClientErrorAnswer = (server: http.Server, error: Error, socket: Duplex) => void;

type FrontDoor = { steps: FrontDoorStep[]; clientError?: ClientErrorAnswer; tuned: WeakSet<http.Server> };

/** Node's own idle keep-alive limit, which `next start` keeps unless given --keepAliveTimeout. */
const NODE_KEEP_ALIVE_MS = 5_000;
/**
 * How long an idle client connection stays open: longer than the usual 60 s of a load balancer or
 * a client's pool, so they close it first. With Node's 5 s, a client that sends its next request
 * on a connection just as the hub closes it gets a reset (ECONNRESET) instead of an answer.
 */
export const IDLE_CONNECTION_MS = 65_000;

/** The keep-alive limit, once per server, unless the operator chose one (`next start --keepAliveTimeout`). */
function tune(door: FrontDoor, server: http.Server): void {
  door.tuned.add(server);
  if (server.keepAliveTimeout === NODE_KEEP_ALIVE_MS) server.keepAliveTimeout = IDLE_CONNECTION_MS;
}

/**
 * The hook on every HTTP server of the process, installed once, from instrumentation.ts (Next.js
 * offers no earlier place inside `next start`): its "request" event goes through the steps first,
 * its "clientError" event (Next.js has no listener) to the client-error answer, and its first
 * connection sets how long idle connections are kept.
 */
function frontDoor(): FrontDoor {
  return processWide("frontDoor", () => {
    const door: FrontDoor = { steps: [], tuned: new WeakSet() };
    const proto = http.Server.prototype;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "connection" && !door.tuned.has(this)) tune(door, this);
      if (event === "request") {
        const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
        for (const each of door.steps) if (each(request, response)) return true;
      } else if (event === "clientError" && door.clientError) {
        door.clientError(this, args[0] as Error, args[1] as Duplex);
        return true;
      }
      return (emit as (...a: unknown[]) => boolean).apply(this, [event, ...args]);
    } as typeof proto.emit;
    return door;
  });
}

/** Adds a step run on every request the process's HTTP server receives, before Next.js, in order. */
export function addFrontDoorStep(step: FrontDoorStep): void {
  const { steps } = frontDoor();
  if (!steps.includes(step)) steps.push(step);
}

/** Replaces Node's own answer to a request its parser refused (a bare status, no body). */
export function answerClientErrorsWith(answer: ClientErrorAnswer): void {
  frontDoor().clientError = answer;
}
