// Runs once per server process before the first request: the HTTP method guard, configuration,
// database, first admin, then OpenTelemetry traces when a collector is configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installMethodGuard } = await import("@/lib/http/method-guard");
  installMethodGuard();
  const { startHubOrExit } = await import("@/lib/setup/bootstrap");
  await startHubOrExit();
  // Audit retention (issue 8): prunes old call-log and admin-trail rows now and every hour.
  const { startAuditPruneJob } = await import("@/lib/audit/prune-job");
  startAuditPruneJob();
  const { startTracing } = await import("@/lib/telemetry/start");
  await startTracing();
}
