import type { Metadata } from "next";
import { formatDateTime } from "@/app/_components/format";
import { listAdminEvents, parseAdminEventQuery } from "@/lib/audit/list-admin-events";
import { requireAdmin } from "@/lib/auth/session";
import { AuditView, loadAuditPage, type SearchParams, TextFilter } from "../_components/audit-view";

export const metadata: Metadata = { title: "Admin changes" };
export const dynamic = "force-dynamic";

export default async function AuditChangesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const { filters, page, problem } = await loadAuditPage(searchParams, parseAdminEventQuery, listAdminEvents);
  return (
    <AuditView
      current="changes"
      path="/admin/audit/changes"
      csvEndpoint="/api/v1/audit/admin-events"
      description="Who changed servers, groups, people, keys and settings, and what changed."
      filters={filters}
      problem={problem}
      fields={[
        <TextFilter key="actor" filters={filters} name="actor" label="Admin" placeholder="email or id" />,
        <TextFilter
          key="action"
          filters={filters}
          name="action"
          label="Action"
          placeholder="server.update or server."
        />,
        <TextFilter key="target" filters={filters} name="target" label="Target" placeholder="name or id" />,
      ]}
      columns={[
        { label: "When" },
        { label: "Admin" },
        { label: "Action" },
        { label: "Target" },
        { label: "What changed" },
      ]}
      rows={page?.events.map((event) => (
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
              <code className="break-all text-xs text-slate-600">{JSON.stringify(event.details)}</code>
            )}
          </td>
        </tr>
      ))}
      nextCursor={page?.nextCursor}
      label="Admin changes"
      filterLabel="Filter changes"
      testId="admin-events"
      emptyText="No changes match these filters."
    />
  );
}
