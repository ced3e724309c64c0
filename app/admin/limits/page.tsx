import type { Metadata } from "next";
import { Badge } from "@/app/_components/badge";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { serverNames } from "@/lib/limits/form";
import { describeTarget, listRateLimits } from "@/lib/limits/queries";
import { CreateLimitForm } from "./_components/create-limit-form";
import { LimitRowActions } from "./_components/limit-row-actions";

export const metadata: Metadata = { title: "Rate limits" };

export default async function LimitsPage() {
  await requireAdmin();
  const [limits, servers] = await Promise.all([listRateLimits(), serverNames()]);
  return (
    <>
      <PageHeader
        title="Rate limits"
        description="Calls per minute, counted over a sliding minute and shared by every instance. A refused call gets an MCP error saying which limit and when to retry."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-label="Limits" className="min-w-0 lg:col-span-2">
          {limits.length === 0 ? (
            <div className="card text-sm text-slate-600" data-testid="limits-empty">
              <p className="font-medium text-slate-800">
                No limits: everyone may call as often as they like.
              </p>
              <p className="mt-1">
                Start with a default for every person, such as 60 calls per minute, and raise it for the
                people or automations that need more.
              </p>
            </div>
          ) : (
            <div className="card overflow-x-auto p-0">
              <table className="w-full text-left text-sm">
                <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col" className="px-4 py-2">
                      Applies to
                    </th>
                    <th scope="col" className="px-4 py-2">
                      Used in the last minute
                    </th>
                    <th scope="col" className="px-4 py-2">
                      Calls per minute
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {limits.map((limit) => {
                    const label = describeTarget(limit);
                    return (
                      <tr key={limit.id} data-testid="limit-row" data-id={limit.id}>
                        <td className="px-4 py-3">
                          <div className="flex flex-wrap items-center gap-2">
                            <Badge tone={limit.scope === "server" ? "blue" : "slate"}>{limit.scope}</Badge>
                            <span className="font-medium">{label}</span>
                          </div>
                          {limit.scope === "person" && !limit.userId && (
                            <p className="mt-1 text-xs text-slate-500">
                              Default: a person&rsquo;s own limit replaces it.
                            </p>
                          )}
                        </td>
                        <td className="px-4 py-3 tabular-nums text-slate-700">
                          {limit.usage === null ? "—" : `${limit.usage} of ${limit.callsPerMinute}`}
                        </td>
                        <td className="px-4 py-3">
                          <LimitRowActions
                            id={limit.id}
                            label={label}
                            callsPerMinute={limit.callsPerMinute}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card min-w-0" aria-labelledby="add-limit">
          <h2 id="add-limit" className="mb-3 font-medium">
            Add a limit
          </h2>
          <CreateLimitForm servers={servers} />
        </section>
      </div>
    </>
  );
}
