import type { Metadata } from "next";
import { formatDateTime } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { type AdminEventPage, listAdminEvents, parseAdminEventQuery } from "@/lib/audit/list-admin-events";
import { withoutEmpty } from "@/lib/audit/query-params";
import { requireAdmin } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { AuditNav, csvHref, FilterError, Pager } from "../_components/audit-nav";

export const metadata: Metadata = { title: "Admin changes" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditChangesPage({ searchParams }: Props) {
  await requireAdmin();
  const filters = withoutEmpty(await searchParams);
  let page: AdminEventPage | undefined;
  let problem: AppError | undefined;
  try {
    const { format: _json, ...query } = parseAdminEventQuery(filters);
    page = await listAdminEvents({ ...query, limit: filters.has("limit") ? query.limit : PAGE_SIZE });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error;
  }
  const value = (name: string) => filters.get(name) ?? "";
  return (
    <>
      <PageHeader
        title="Audit"
        description="Who changed servers, groups, people, keys and settings, and what changed."
      >
        <a href={csvHref("/api/v1/audit/admin-events", filters)} className="btn-secondary" download>
          Download CSV
        </a>
      </PageHeader>
      <AuditNav current="changes" />
      <form
        method="get"
        className="card mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-5"
        aria-label="Filter changes"
      >
        <label className="text-sm">
          <span className="label">Admin</span>
          <input name="actor" defaultValue={value("actor")} placeholder="email or id" className="input" />
        </label>
        <label className="text-sm">
          <span className="label">Action</span>
          <input
            name="action"
            defaultValue={value("action")}
            placeholder="server.update or server."
            className="input"
          />
        </label>
        <label className="text-sm">
          <span className="label">Target</span>
          <input name="target" defaultValue={value("target")} placeholder="name or id" className="input" />
        </label>
        <label className="text-sm">
          <span className="label">From (UTC)</span>
          <input name="from" type="datetime-local" defaultValue={value("from")} className="input" />
        </label>
        <label className="text-sm">
          <span className="label">To (UTC)</span>
          <input name="to" type="datetime-local" defaultValue={value("to")} className="input" />
        </label>
        <div className="flex gap-2 sm:col-span-3 lg:col-span-5">
          <button type="submit" className="btn-primary">
            Filter
          </button>
          <a href="/admin/audit/changes" className="btn-secondary">
            Clear
          </a>
        </div>
      </form>
      {problem && <FilterError message={problem.message} fields={problem.fieldErrors} />}
      {page && (
        <section className="card overflow-x-auto p-0" aria-label="Admin changes">
          {page.events.length === 0 ? (
            <p className="p-5 text-sm text-slate-600" data-testid="admin-events-empty">
              No changes match these filters.
            </p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="admin-events">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-4 py-2">When</th>
                  <th className="px-4 py-2">Admin</th>
                  <th className="px-4 py-2">Action</th>
                  <th className="px-4 py-2">Target</th>
                  <th className="px-4 py-2">What changed</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {page.events.map((event) => (
                  <tr key={event.id} data-testid="admin-event-row">
                    <td className="whitespace-nowrap px-4 py-2">{formatDateTime(event.at)}</td>
                    <td className="px-4 py-2">{event.actor?.email ?? "the hub"}</td>
                    <td className="px-4 py-2 font-mono text-xs">{event.action}</td>
                    <td className="px-4 py-2">
                      <span className="text-slate-500">{event.targetType}</span>{" "}
                      {event.targetName ?? event.targetId ?? ""}
                    </td>
                    <td className="max-w-md px-4 py-2">
                      {event.details && (
                        <code className="break-all text-xs text-slate-600">
                          {JSON.stringify(event.details)}
                        </code>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {page && (
        <Pager
          path="/admin/audit/changes"
          filters={filters}
          nextCursor={page.nextCursor}
          paged={filters.has("cursor")}
        />
      )}
    </>
  );
}
