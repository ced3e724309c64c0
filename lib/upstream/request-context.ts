import { AsyncLocalStorage } from "node:async_hooks";
import { processWide } from "@/lib/process-wide";

/** Who a request is for; templates and per-person connections are keyed by it. */
export type UpstreamCaller = { userId: string; email: string; requestId: string };

/** The request being served, so per-request context headers reach the upstream call it makes. */
export const requestContext = processWide(
  "upstreamRequestContext",
  () => new AsyncLocalStorage<UpstreamCaller>(),
);
