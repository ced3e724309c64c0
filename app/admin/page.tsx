import type { Metadata } from "next";
import Link from "next/link";
import { formatRelative } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import {
  getCallsOverTime,
  getFailingUpstreams,
  getMostActivePeople,
  getServerLatency,
  getToolLatency,
  hasAnyCalls,
  type LatencyRow,
} from "@/lib/dashboard/queries";
import { RANGES, type RangeName, rangeSchema, resolveRange } from "@/lib/dashboard/range";
import { listProcesses } from "@/lib/processes/worker";
import { CallsChart } from "./_components/calls-chart";
import { LatencyChart } from "./_components/latency-chart";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;
// No figure when every call of the row was answered by the hub itself (rate-limited, say).
const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)}`);
const auditLink = (filters: Record<string, string>) => `/admin/audit?${new URLSearchParams(filters)}`;

export default async function DashboardPage({ searchParams }: Props) {
  await requireAdmin();
  const requested = (await searchParams).range;
  const parsed = rangeSchema.safeParse(typeof requested === "string" ? requested : undefined);
  const range = resolveRange(parsed.success ? parsed.data : "24h");
  const [buckets, byServer, byTool, people, failing, anyCalls] = await Promise.all([
    getCallsOverTime(range),
    getServerLatency(range),
    getToolLatency(range),
    getMostActivePeople(range),
    getFailingUpstreams(),
    hasAnyCalls(),
  ]);
  const processes = listProcesses();
  const from = range.since.toISOString();
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`Tool calls through /api/mcp over the ${range.label} (UTC).`}
      >
        <nav aria-label="Time range" className="flex gap-1">
          {(Object.keys(RANGES) as RangeName[]).map((name) => (
            <Link
              key={name}
              href={`/admin?range=${name}`}
              aria-current={name === range.name ? "page" : undefined}
              className={`rounded px-3 py-1.5 text-sm ${name === range.name ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
            >
              {name}
            </Link>
          ))}
        </nav>
      </PageHeader>
      {!parsed.success && (
        <p
          role="alert"
          className="mb-4 rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
        >
          {parsed.error.issues[0]?.message}; showing the last 24 hours.
        </p>
      )}
      {!anyCalls ? (
        <EmptyHub />
      ) : (
        <div className="space-y-6">
          <section className="card" aria-labelledby="calls-heading">
            <h2 id="calls-heading" className="mb-3 font-medium">
              Calls over time
            </h2>
            <CallsChart buckets={buckets} rangeLabel={range.label} />
          </section>
          {byServer.length === 0 ? (
            <p className="card text-sm text-slate-600" data-testid="quiet-range">
              No calls in the {range.label}. Pick a longer range above.
            </p>
          ) : (
            <>
              <LatencySection title="Servers" rows={byServer} from={from} />
              <LatencySection title="Tools" rows={byTool} from={from} />
              <section className="card" aria-labelledby="people-heading">
                <h2 id="people-heading" className="mb-3 font-medium">
                  Most active people
                </h2>
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm" data-testid="active-people">
                    <thead className="text-xs uppercase text-slate-500">
                      <tr>
                        <th scope="col">Person</th>
                        <th scope="col" className="pl-3 text-right">
                          Calls
                        </th>
                        <th scope="col" className="pl-3 text-right">
                          Errors
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {people.map((person) => (
                        <tr key={person.userId ?? "deleted"}>
                          <td className="py-1.5">
                            {person.email ? (
                              <Link
                                href={auditLink({ user: person.email, from })}
                                className="wrap-anywhere text-brand-700 hover:underline"
                              >
                                {person.email}
                              </Link>
                            ) : (
                              "(deleted accounts)"
                            )}
                          </td>
                          <td className="text-right tabular-nums">{person.calls}</td>
                          <td className="text-right tabular-nums">{person.errors}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            </>
          )}
        </div>
      )}
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <section className="card" aria-labelledby="failing-heading">
          <h2 id="failing-heading" className="mb-3 font-medium">
            Failing upstreams
          </h2>
          {failing.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="no-failing">
              No server failed a call in the last 15 minutes, and none reports a connection error.
            </p>
          ) : (
            <ul className="space-y-2 text-sm" data-testid="failing-upstreams">
              {failing.map((f) => (
                <li key={f.server}>
                  <Link
                    href={`/admin/servers/${encodeURIComponent(f.server)}`}
                    className="wrap-anywhere font-medium text-brand-700 hover:underline"
                  >
                    {f.server}
                  </Link>
                  {f.calls > 0 && (
                    <span className="ml-2 text-slate-600">
                      {f.errors} of {f.calls} calls failed in the last 15 minutes ({percent(f.errorRate)})
                    </span>
                  )}
                  {f.lastError && (
                    <p className="break-words text-xs text-red-700">
                      {f.lastError}
                      {f.lastErrorAt && ` (${formatRelative(f.lastErrorAt)})`}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="processes-heading">
          <h2 id="processes-heading" className="mb-3 font-medium">
            Isolated processes on this instance
          </h2>
          {processes.length === 0 ? (
            <p className="text-sm text-slate-600">None running.</p>
          ) : (
            <p className="text-sm text-slate-600" data-testid="process-summary">
              {processes.filter((p) => p.state === "running").length} running
              {processes.some((p) => p.state === "crashed") &&
                `, ${processes.filter((p) => p.state === "crashed").length} crashed`}
              , {processes.reduce((sum, p) => sum + (p.memoryBytes ?? 0), 0) >> 20} MB in all.
            </p>
          )}
          <Link href="/admin/processes" className="mt-2 inline-block text-sm text-brand-700 hover:underline">
            Manage processes
          </Link>
        </section>
      </div>
    </>
  );
}

function LatencySection({ title, rows, from }: { title: string; rows: LatencyRow[]; from: string }) {
  const id = `${title.toLowerCase()}-heading`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="mb-3 font-medium">
        {title}: error rate and latency
      </h2>
      <LatencyChart
        rows={rows}
        title={`Latency percentiles per ${title === "Servers" ? "server" : "tool"}`}
      />
      {/* Names of people's servers and tools can be long and unbroken: they wrap anywhere, and the
          table scrolls inside its card rather than widening the page on a phone. */}
      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid={`latency-${title.toLowerCase()}`}>
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th scope="col">{title === "Servers" ? "Server" : "Tool"}</th>
              <th scope="col" className="text-right">
                Calls
              </th>
              <th scope="col" className="text-right">
                Error rate
              </th>
              <th scope="col" className="text-right">
                p50 ms
              </th>
              <th scope="col" className="text-right">
                p95 ms
              </th>
              <th scope="col" className="text-right">
                p99 ms
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={`${row.server} ${row.tool ?? ""}`}>
                <td className="py-1.5">
                  <Link
                    href={auditLink({ server: row.server, ...(row.tool && { tool: row.tool }), from })}
                    className="wrap-anywhere text-brand-700 hover:underline"
                  >
                    {row.tool ? `${row.server} · ${row.tool}` : row.server}
                  </Link>
                </td>
                <td className="text-right tabular-nums">{row.calls}</td>
                <td className="text-right tabular-nums">{percent(row.errorRate)}</td>
                <td className="text-right tabular-nums">{ms(row.p50)}</td>
                <td className="text-right tabular-nums">{ms(row.p95)}</td>
                <td className="text-right tabular-nums">{ms(row.p99)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A hub nobody has called yet: the steps that lead to the first call, instead of empty charts. */
function EmptyHub() {
  return (
    <section className="card" data-testid="dashboard-empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading" className="mb-2 font-medium">
        No tool calls yet
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        The charts fill in once people call tools through /api/mcp. To get there:
      </p>
      <ol className="list-decimal space-y-1 pl-5 text-sm">
        <li>
          <Link href="/admin/servers" className="text-brand-700 hover:underline">
            Add a server
          </Link>{" "}
          (or import an mcp_settings.json on{" "}
          <Link href="/admin/settings" className="text-brand-700 hover:underline">
            Settings
          </Link>
          ).
        </li>
        <li>
          <Link href="/admin/groups" className="text-brand-700 hover:underline">
            Put it in a group
          </Link>{" "}
          people can join.
        </li>
        <li>
          <Link href="/admin/users" className="text-brand-700 hover:underline">
            Add people
          </Link>
          ; each creates a key on{" "}
          <Link href="/account/keys" className="text-brand-700 hover:underline">
            Keys
          </Link>{" "}
          and points their MCP client at /api/mcp.
        </li>
      </ol>
    </section>
  );
}
