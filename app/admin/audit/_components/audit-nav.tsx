import Link from "next/link";

/** The two views of /admin/audit: calls through /api/mcp, and changes made by admins. */
export function AuditNav({ current }: { current: "calls" | "changes" }) {
  const tab = (href: string, label: string, active: boolean) => (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`rounded px-3 py-1.5 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Audit views" className="mb-4 flex gap-2">
      {tab("/admin/audit", "Tool calls", current === "calls")}
      {tab("/admin/audit/changes", "Admin changes", current === "changes")}
    </nav>
  );
}

/** Links to the first and the next page; the filters stay, the cursor changes. */
export function Pager({
  path,
  filters,
  nextCursor,
  paged,
}: {
  path: string;
  filters: URLSearchParams;
  nextCursor: string | null;
  paged: boolean;
}) {
  const next = new URLSearchParams(filters);
  next.delete("cursor");
  const first = next.toString();
  if (nextCursor) next.set("cursor", nextCursor);
  return (
    <nav aria-label="Pages" className="mt-4 flex gap-3 text-sm">
      {paged && (
        <Link href={`${path}${first ? `?${first}` : ""}`} className="btn-secondary">
          Newest
        </Link>
      )}
      {nextCursor && (
        <Link href={`${path}?${next}`} className="btn-secondary" rel="next">
          Older
        </Link>
      )}
    </nav>
  );
}

/** The query without the cursor and with format=csv, for the download link. */
export function csvHref(endpoint: string, filters: URLSearchParams): string {
  const query = new URLSearchParams(filters);
  query.delete("cursor");
  query.delete("limit");
  query.set("format", "csv");
  return `${endpoint}?${query}`;
}

/** A bad filter: the message, and each field's fix. */
export function FilterError({ message, fields }: { message: string; fields?: Record<string, string[]> }) {
  return (
    <div role="alert" className="mb-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p>{message}</p>
      {fields && (
        <ul className="mt-1 list-disc pl-5">
          {Object.entries(fields).map(([field, messages]) => (
            <li key={field}>
              <code>{field}</code>: {messages.join(". ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
