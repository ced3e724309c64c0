// Runs once per server process before the first request: the HTTP method guard, configuration,
// database, first admin, then OpenTelemetry traces when a collector is configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installMethodGuard } = await import("@/lib/http/method-guard");
  installMethodGuard();
  const { startHubOrExit } = await import("@/lib/setup/bootstrap");
  await startHubOrExit();
  const { startTracing } = await import("@/lib/telemetry/start");
  await startTracing();
}
