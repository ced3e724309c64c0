import http from "node:http";
import type { Duplex } from "node:stream";
import { processWide } from "@/lib/process-wide";

/** Answers a request itself (true) or leaves it to the next step and finally to Next.js (false). */
export type FrontDoorStep = (request: http.IncomingMessage, response: http.ServerResponse) => boolean;

/** Answers, on the socket itself, a request Node's HTTP parser refused before there was a request. */
export type ClientErrorAnswer = (server: http.Server, error: Error, socket: Duplex) => void;

type FrontDoor = { steps: FrontDoorStep[]; clientError?: ClientErrorAnswer };

/**
 * The hook on every HTTP server of the process, installed once, from instrumentation.ts (Next.js
 * offers no earlier place inside `next start`): its "request" event goes through the steps first,
 * and its "clientError" event (Next.js has no listener) to the client-error answer.
 */
function frontDoor(): FrontDoor {
  return processWide("frontDoor", () => {
    const door: FrontDoor = { steps: [] };
    const proto = http.Server.prototype;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
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
