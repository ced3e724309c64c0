// Runs once per server process before the first request: configuration, database, first admin.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startHubOrExit } = await import("@/lib/setup/bootstrap");
  await startHubOrExit();
  // Audit retention (issue 8): prunes old call-log and admin-trail rows now and every hour.
  const { startAuditPruneJob } = await import("@/lib/audit/prune-job");
  startAuditPruneJob();
}
