// Runs once per server process before the first request: configuration, database, first admin,
// then OpenTelemetry traces when a collector is configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startHubOrExit } = await import("@/lib/setup/bootstrap");
  await startHubOrExit();
  const { startTracing } = await import("@/lib/telemetry/start");
  await startTracing();
}
