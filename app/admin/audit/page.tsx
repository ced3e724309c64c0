import type { Metadata } from "next";
import { Badge } from "@/app/_components/badge";
import { formatDateTime } from "@/app/_components/format";
import { CALL_STATUSES, listToolCalls, parseAuditQuery } from "@/lib/audit/list-tool-calls";
import { requireAdmin } from "@/lib/auth/session";
import { AuditView, loadAuditPage, type SearchParams, TextFilter } from "./_components/audit-view";

export const metadata: Metadata = { title: "Audit" };
export const dynamic = "force-dynamic";

const tone = {
  ok: "green",
  input_required: "blue",
  tool_error: "amber",
  error: "red",
  rate_limited: "slate",
} as const;

export default async function AuditCallsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const { filters, page, problem } = await loadAuditPage(searchParams, parseAuditQuery, listToolCalls);
  return (
    <AuditView
      current="calls"
      path="/admin/audit"
      csvEndpoint="/api/v1/audit"
      description="Every tool call through /api/mcp: who, what, how it ended. Never arguments or results."
      filters={filters}
      problem={problem}
      fields={[
        <TextFilter key="user" filters={filters} name="user" label="Person" placeholder="email or id" />,
        <TextFilter key="server" filters={filters} name="server" label="Server" />,
        <TextFilter key="tool" filters={filters} name="tool" label="Tool" placeholder="upstream name" />,
        <label key="status" className="text-sm">
          <span className="label">Status</span>
          <select name="status" defaultValue={filters.get("status") ?? ""} className="input">
            <option value="">any</option>
            {CALL_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>,
      ]}
      columns={[
        { label: "When" },
        { label: "Person" },
        { label: "Key" },
        { label: "Server" },
        { label: "Tool" },
        { label: "Status" },
        { label: "ms", numeric: true },
      ]}
      rows={page?.calls.map((call) => (
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
            {call.errorClass && <span className="ml-2 text-xs text-slate-500">{call.errorClass}</span>}
          </td>
          <td className="px-4 py-2 text-right tabular-nums">{call.durationMs}</td>
        </tr>
      ))}
      nextCursor={page?.nextCursor}
      label="Calls"
      filterLabel="Filter calls"
      testId="audit-calls"
      emptyText="No calls match these filters."
    />
  );
}
