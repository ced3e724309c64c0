import type { Metadata } from "next";
import { Badge } from "@/app/_components/badge";
import { formatDateTime } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { type AuditPage, CALL_STATUSES, listToolCalls, parseAuditQuery } from "@/lib/audit/list-tool-calls";
import { withoutEmpty } from "@/lib/audit/query-params";
import { requireAdmin } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { AuditNav, csvHref, FilterError, Pager } from "./_components/audit-nav";

export const metadata: Metadata = { title: "Audit" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;
const tone = { ok: "green", tool_error: "amber", error: "red", rate_limited: "slate" } as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditCallsPage({ searchParams }: Props) {
  await requireAdmin();
  const filters = withoutEmpty(await searchParams);
  let page: AuditPage | undefined;
  let problem: AppError | undefined;
  try {
    const { format: _json, ...query } = parseAuditQuery(filters);
    page = await listToolCalls({ ...query, limit: filters.has("limit") ? query.limit : PAGE_SIZE });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error;
  }
  const value = (name: string) => filters.get(name) ?? "";
  return (
    <>
      <PageHeader
        title="Audit"
        description="Every tool call through /api/mcp: who, what, how it ended. Never arguments or results."
      >
        <a href={csvHref("/api/v1/audit", filters)} className="btn-secondary" download>
          Download CSV
        </a>
      </PageHeader>
      <AuditNav current="calls" />
      <form
        method="get"
        className="card mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6"
        aria-label="Filter calls"
      >
        <label className="text-sm">
          <span className="label">Person</span>
          <input name="user" defaultValue={value("user")} placeholder="email or id" className="input" />
        </label>
        <label className="text-sm">
          <span className="label">Server</span>
          <input name="server" defaultValue={value("server")} className="input" />
        </label>
        <label className="text-sm">
          <span className="label">Tool</span>
          <input name="tool" defaultValue={value("tool")} placeholder="upstream name" className="input" />
        </label>
        <label className="text-sm">
          <span className="label">Status</span>
          <select name="status" defaultValue={value("status")} className="input">
            <option value="">any</option>
            {CALL_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="label">From (UTC)</span>
          <input name="from" type="datetime-local" defaultValue={value("from")} className="input" />
        </label>
        <label className="text-sm">
          <span className="label">To (UTC)</span>
          <input name="to" type="datetime-local" defaultValue={value("to")} className="input" />
        </label>
        <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
          <button type="submit" className="btn-primary">
            Filter
          </button>
          <a href="/admin/audit" className="btn-secondary">
            Clear
          </a>
        </div>
      </form>
      {problem && <FilterError message={problem.message} fields={problem.fieldErrors} />}
      {page && (
        <section className="card overflow-x-auto p-0" aria-label="Calls">
          {page.calls.length === 0 ? (
            <p className="p-5 text-sm text-slate-600" data-testid="audit-empty">
              No calls match these filters.
            </p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="audit-calls">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-4 py-2">When</th>
                  <th className="px-4 py-2">Person</th>
                  <th className="px-4 py-2">Key</th>
                  <th className="px-4 py-2">Server</th>
                  <th className="px-4 py-2">Tool</th>
                  <th className="px-4 py-2">Status</th>
                  <th className="px-4 py-2 text-right">ms</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {page.calls.map((call) => (
                  <tr key={call.id} data-testid="audit-row">
                    <td className="whitespace-nowrap px-4 py-2">{formatDateTime(call.at)}</td>
                    <td className="px-4 py-2">{call.user?.email ?? "(deleted)"}</td>
                    <td className="px-4 py-2 font-mono text-xs">
                      {call.key ? `${call.key.name} ${call.key.partialKey}` : "—"}
                    </td>
                    <td className="px-4 py-2">{call.server}</td>
                    <td className="px-4 py-2 font-mono text-xs">{call.tool}</td>
                    <td className="px-4 py-2">
                      <Badge tone={tone[call.status as keyof typeof tone] ?? "slate"}>{call.status}</Badge>
                      {call.errorClass && (
                        <span className="ml-2 text-xs text-slate-500">{call.errorClass}</span>
                      )}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{call.durationMs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {page && (
        <Pager
          path="/admin/audit"
          filters={filters}
          nextCursor={page.nextCursor}
          paged={filters.has("cursor")}
        />
      )}
    </>
  );
}
