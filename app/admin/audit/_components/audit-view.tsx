import type { ReactNode } from "react";
import { PageHeader } from "@/app/_components/page-header";
import { withoutEmpty } from "@/lib/audit/query-params";
import { AppError } from "@/lib/errors";
import { AuditNav, csvHref, FilterError, Pager } from "./audit-nav";

const PAGE_SIZE = 50;

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Reads one audit view's filters from the URL and loads its page (50 rows unless the URL asks for
 * another limit). A bad filter is not an error page: it comes back as `problem`, shown above the
 * form with each field's fix.
 */
export async function loadAuditPage<Query extends { limit: number; format?: unknown }, Page>(
  searchParams: SearchParams,
  parse: (filters: URLSearchParams) => Query,
  list: (query: Omit<Query, "format">) => Promise<Page>,
): Promise<{ filters: URLSearchParams; page?: Page; problem?: AppError }> {
  const filters = withoutEmpty(await searchParams);
  try {
    const { format: _json, ...query } = parse(filters);
    const page = await list({ ...query, limit: filters.has("limit") ? query.limit : PAGE_SIZE });
    return { filters, page };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { filters, problem: error };
  }
}

/** One text (or date) filter of the form, filled from the URL. */
export function TextFilter({
  filters,
  name,
  label,
  placeholder,
  type = "text",
}: {
  filters: URLSearchParams;
  name: string;
  label: string;
  placeholder?: string;
  type?: "text" | "datetime-local";
}) {
  return (
    <label className="text-sm">
      <span className="label">{label}</span>
      <input
        name={name}
        type={type}
        defaultValue={filters.get(name) ?? ""}
        placeholder={placeholder}
        className="input"
      />
    </label>
  );
}

/**
 * The frame both audit views share: header with the CSV download, the tabs, the filter form (its
 * fields given by the view, the time range added here), the problem with the filters, the table
 * or the empty text, and the pager.
 */
export function AuditView({
  current,
  path,
  csvEndpoint,
  description,
  filters,
  problem,
  fields,
  columns,
  rows,
  nextCursor,
  label,
  filterLabel,
  testId,
  emptyText,
}: {
  current: "calls" | "changes";
  path: string;
  csvEndpoint: string;
  description: string;
  filters: URLSearchParams;
  problem?: AppError;
  /** The view's own filter fields, before the time range. */
  fields: ReactNode[];
  columns: Array<{ label: string; numeric?: boolean }>;
  /** Undefined when the filters were refused. */
  rows?: ReactNode[];
  nextCursor?: string | null;
  label: string;
  filterLabel: string;
  testId: string;
  emptyText: string;
}) {
  const columnCount = fields.length + 2;
  // Tailwind sees only whole class names, so the grid's width is picked from a fixed list.
  const wide = columnCount >= 6 ? "lg:grid-cols-6" : "lg:grid-cols-5";
  const span = columnCount >= 6 ? "lg:col-span-6" : "lg:col-span-5";
  return (
    <>
      <PageHeader title="Audit" description={description}>
        <a href={csvHref(csvEndpoint, filters)} className="btn-secondary" download>
          Download CSV
        </a>
      </PageHeader>
      <AuditNav current={current} />
      <form method="get" className={`card mb-4 grid gap-3 sm:grid-cols-3 ${wide}`} aria-label={filterLabel}>
        {fields}
        <TextFilter filters={filters} name="from" label="From (UTC)" type="datetime-local" />
        <TextFilter filters={filters} name="to" label="To (UTC)" type="datetime-local" />
        <div className={`flex gap-2 sm:col-span-3 ${span}`}>
          <button type="submit" className="btn-primary">
            Filter
          </button>
          <a href={path} className="btn-secondary">
            Clear
          </a>
        </div>
      </form>
      {problem && <FilterError message={problem.message} fields={problem.fieldErrors} />}
      {rows && (
        <section className="card overflow-x-auto p-0" aria-label={label}>
          {rows.length === 0 ? (
            <p className="p-5 text-sm text-slate-600" data-testid={`${testId}-empty`}>
              {emptyText}
            </p>
          ) : (
            <table className="w-full text-left text-sm" data-testid={testId}>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  {columns.map((column) => (
                    <th key={column.label} className={`px-4 py-2${column.numeric ? " text-right" : ""}`}>
                      {column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">{rows}</tbody>
            </table>
          )}
        </section>
      )}
      {rows && (
        <Pager path={path} filters={filters} nextCursor={nextCursor ?? null} paged={filters.has("cursor")} />
      )}
    </>
  );
}
