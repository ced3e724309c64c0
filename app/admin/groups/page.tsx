import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listGroups } from "@/lib/groups/queries";
import { emptyGroupForm, GroupForm } from "./_components/group-form";
import { getServerOptions } from "./server-options";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsAdminPage() {
  await requireAdmin();
  const [groups, servers] = await Promise.all([listGroups(), getServerOptions()]);
  return (
    <>
      <PageHeader
        title="Groups"
        description="A group bundles servers (and a choice of their tools) for the people in it. People use the union of their active groups."
      >
        <a href="#add-group" className="btn-primary">
          Create a group
        </a>
      </PageHeader>

      <section aria-label="Groups" className="mb-10">
        {groups.length === 0 ? (
          <div className="card text-sm text-slate-600" data-testid="groups-empty">
            <p className="font-medium text-slate-800">No groups yet, so nobody can use any tools.</p>
            <p className="mt-1">
              {servers.length === 0 ? (
                <>
                  Start by adding a server on{" "}
                  <Link href="/admin/servers" className="font-medium text-brand-700 underline">
                    Servers
                  </Link>
                  , then create a group for it below.
                </>
              ) : (
                "Create the first one below: a public group anyone may join is a good start."
              )}
            </p>
          </div>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2">
            {groups.map((group) => (
              <li key={group.id} className="card min-w-0 p-4" data-testid="group-row" data-name={group.name}>
                <div className="flex flex-wrap items-center gap-2">
                  <Link
                    href={`/admin/groups/${encodeURIComponent(group.name)}`}
                    className="wrap-anywhere font-medium text-brand-700 hover:underline"
                  >
                    {group.name}
                  </Link>
                  {group.visibility === "public" ? (
                    <Badge tone="blue">public</Badge>
                  ) : (
                    <Badge tone="amber">restricted</Badge>
                  )}
                  <span className="text-xs text-slate-500">
                    {group.memberCount} member{group.memberCount === 1 ? "" : "s"}
                  </span>
                </div>
                {group.description && <p className="mt-1 text-sm text-slate-600">{group.description}</p>}
                <p className="mt-2 wrap-anywhere text-sm" data-testid="group-servers">
                  {group.servers.length === 0 ? (
                    <span className="text-amber-800">No servers: it offers no tools yet.</span>
                  ) : (
                    group.servers.map((server, i) => (
                      <span key={server.name}>
                        {i > 0 && ", "}
                        <span className={server.enabled ? "" : "text-slate-400 line-through"}>
                          {server.name}
                        </span>
                        <span className="text-slate-500">
                          {" "}
                          (
                          {server.tools
                            ? `${server.tools.length} chosen`
                            : server.toolCount === null
                              ? "all tools"
                              : `all ${server.toolCount}`}
                          )
                        </span>
                      </span>
                    ))
                  )}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="add-group" className="card scroll-mt-6">
        <h2 className="mb-5 text-lg font-semibold">Create a group</h2>
        <GroupForm mode="create" initial={emptyGroupForm} servers={servers} />
      </section>
    </>
  );
}
