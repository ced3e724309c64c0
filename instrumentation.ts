// Runs once per server process before the first request: the HTTP front door, configuration,
// database, first admin, then OpenTelemetry traces when a collector is configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before anything allocates much: keep the heap close to what it holds (lib/runtime/heap.ts).
  const { tuneHeapGrowth } = await import("@/lib/runtime/heap");
  tuneHeapGrowth();
  // The front door, ahead of Next.js (Next.js serves no request before register() returns). First
  // the MCP endpoint, served without Next.js's router with the handler the MCP routes offer when
  // Next.js first loads one (lib/mcp/node-endpoint.ts): it answers every request it takes itself,
  // so the method guard's response wrappers are left to the requests Next.js serves. Then odd
  // methods, answered by the API's rules (lib/http/method-guard.ts).
  const { addFrontDoorStep, answerClientErrorsWith } = await import("@/lib/http/front-door");
  const { serveMcpFromNode } = await import("@/lib/mcp/node-endpoint");
  addFrontDoorStep(serveMcpFromNode);
  const { guardMethod } = await import("@/lib/http/method-guard");
  addFrontDoorStep(guardMethod);
  // Requests Node's HTTP parser refuses (headers over its limit, broken HTTP) get a JSON error too.
  const { answerClientError } = await import("@/lib/http/client-error");
  answerClientErrorsWith(answerClientError);
  const { startHubOrExit } = await import("@/lib/setup/bootstrap");
  await startHubOrExit();
  // Audit retention (issue 8): prunes old call-log and admin-trail rows now and every hour.
  const { startAuditPruneJob } = await import("@/lib/audit/prune-job");
  startAuditPruneJob();
  const { startTracing } = await import("@/lib/telemetry/start");
  await startTracing();
}
