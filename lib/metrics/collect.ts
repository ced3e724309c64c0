import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { servers } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import { existingProcessManager } from "@/lib/processes/manager";
import { describeStatus } from "@/lib/servers/describe";
import packageJson from "@/package.json";
import { hubMetrics } from "./hub-metrics";
import { exposition, type Family } from "./registry";

/**
 * Upstream health as /admin/servers shows it: an enabled server is down when its last tools/list
 * or connection failed after its last successful listing. Disabled servers are left out.
 */
async function upstreamHealth(): Promise<Family> {
  const db = await getDb();
  const rows = await db
    .select({
      name: servers.name,
      type: servers.type,
      tools: servers.tools,
      toolsListedAt: servers.toolsListedAt,
      protocolVersion: servers.protocolVersion,
      lastError: servers.lastError,
      lastErrorAt: servers.lastErrorAt,
    })
    .from(servers)
    .where(eq(servers.enabled, true));
  return {
    name: "mcphub_upstream_up",
    help: "1 when the enabled server's last listing or connection succeeded, 0 when it failed",
    type: "gauge",
    samples: rows.map((row) => ({
      labels: { server: row.name },
      value: describeStatus(row).kind === "error" ? 0 : 1,
    })),
  };
}

/** Isolated processes on this instance by state (a manager that was never needed is not started). */
function isolatedProcesses(): Family {
  const byState = new Map<string, number>([["running", 0]]);
  for (const process of existingProcessManager()?.list() ?? [])
    byState.set(process.state, (byState.get(process.state) ?? 0) + 1);
  return {
    name: "mcphub_isolated_processes",
    help: "Isolated (one per person) server processes on this instance, by state",
    type: "gauge",
    samples: [...byState].map(([state, value]) => ({ labels: { state }, value })),
  };
}

function processFamilies(): Family[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const gauge = (name: string, help: string, value: number): Family => ({
    name,
    help,
    type: "gauge",
    samples: [{ value }],
  });
  return [
    {
      name: "process_cpu_seconds_total",
      help: "User and system CPU time spent, in seconds",
      type: "counter",
      samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
    },
    gauge("process_resident_memory_bytes", "Resident memory size in bytes", memory.rss),
    gauge(
      "process_start_time_seconds",
      "Start time of the process since the Unix epoch, in seconds",
      Math.round(Date.now() / 1000 - process.uptime()),
    ),
    gauge("nodejs_heap_used_bytes", "V8 heap in use, in bytes", memory.heapUsed),
    gauge("nodejs_heap_total_bytes", "V8 heap allocated, in bytes", memory.heapTotal),
    {
      name: "mcphub_build_info",
      help: "The hub's version (always 1)",
      type: "gauge",
      samples: [{ labels: { version: packageJson.version }, value: 1 }],
    },
  ];
}

/** Everything /api/metrics answers, in the Prometheus text format 0.0.4. */
export async function renderMetrics(): Promise<string> {
  const families: Family[] = [
    hubMetrics.toolCalls.collect(),
    hubMetrics.callErrors.collect(),
    hubMetrics.callDuration.collect(),
    hubMetrics.rateLimitRefusals.collect(),
    hubMetrics.rateLimitStoreErrors.collect(),
    hubMetrics.keyCache.collect(),
    hubMetrics.upstreamRequests.collect(),
    isolatedProcesses(),
    ...processFamilies(),
  ];
  try {
    families.push(await upstreamHealth());
  } catch (error) {
    // The rest of the scrape is still worth having while the database is away.
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "metrics: could not read servers",
    );
  }
  return exposition(families);
}
