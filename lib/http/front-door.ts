import http from "node:http";
import { processWide } from "@/lib/process-wide";

/** Answers a request itself (true) or leaves it to the next step and finally to Next.js (false). */
export type FrontDoorStep = (request: http.IncomingMessage, response: http.ServerResponse) => boolean;

/**
 * Adds a step run on every request the process's HTTP server receives, before Next.js sees it, in
 * the order added. The hook on the server's "request" event is installed with the first step, from
 * instrumentation.ts (Next.js offers no earlier place inside `next start`).
 */
export function addFrontDoorStep(step: FrontDoorStep): void {
  const steps = processWide("frontDoorSteps", () => {
    const list: FrontDoorStep[] = [];
    const proto = http.Server.prototype;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
        for (const each of list) if (each(request, response)) return true;
      }
      return (emit as (...a: unknown[]) => boolean).apply(this, [event, ...args]);
    } as typeof proto.emit;
    return list;
  });
  if (!steps.includes(step)) steps.push(step);
}
