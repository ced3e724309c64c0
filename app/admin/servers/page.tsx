import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { describeIsolation, describeStatus } from "@/lib/servers/describe";
import { emptyServerForm } from "@/lib/servers/form";
import { listServers } from "@/lib/servers/queries";
import { EnableToggle } from "./_components/server-actions";
import { ServerForm } from "./_components/server-form";
import { ServerStatusLine } from "./_components/server-status";

export const metadata: Metadata = { title: "Servers" };

const riskTone = { low: "slate", medium: "slate", high: "amber", critical: "red" } as const;

export default async function ServersPage() {
  await requireAdmin();
  const servers = await listServers();
  return (
    <>
      <PageHeader
        title="Servers"
        description="The upstream MCP servers this hub can offer. Put them into groups to make their tools available."
      >
        <a href="#add-server" className="btn-primary">
          Add a server
        </a>
      </PageHeader>

      <section aria-label="Servers" className="mb-10">
        {servers.length === 0 ? (
          <div className="card text-sm text-slate-600" data-testid="servers-empty">
            <p className="font-medium text-slate-800">No servers yet.</p>
            <p className="mt-1">
              Add the first one below: a command the hub runs (stdio), a remote MCP server (streamable-http or
              sse), or the built-in GitHub and Notion tools. Then put it into a group on{" "}
              <Link href="/admin/groups" className="font-medium text-brand-700 underline">
                Groups
              </Link>
              .
            </p>
          </div>
        ) : (
          <ul className="space-y-3">
            {servers.map((server) => {
              const isolation = describeIsolation(server);
              return (
                <li key={server.id} className="card p-4" data-testid="server-row" data-name={server.name}>
                  <div className="flex flex-col gap-3 md:flex-row md:items-start">
                    <div className="min-w-0 flex-1 space-y-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <Link
                          href={`/admin/servers/${encodeURIComponent(server.name)}`}
                          className="wrap-anywhere font-medium text-brand-700 hover:underline"
                        >
                          {server.name}
                        </Link>
                        <Badge>{server.type}</Badge>
                        <Badge tone={riskTone[server.riskLevel]}>{server.riskLevel} risk</Badge>
                        {server.enabled ? (
                          <Badge tone="green">Enabled</Badge>
                        ) : (
                          <Badge tone="red">Disabled</Badge>
                        )}
                      </div>
                      {server.description && <p className="text-sm text-slate-600">{server.description}</p>}
                      <dl className="grid gap-x-6 gap-y-1 pt-1 text-sm sm:grid-cols-[auto_1fr]">
                        <dt className="text-slate-500">Isolation</dt>
                        <dd data-testid="server-isolation">
                          <span className="font-medium">{isolation.label}</span>: {isolation.reason}
                        </dd>
                        <dt className="text-slate-500">Status</dt>
                        <dd data-testid="server-status">
                          <ServerStatusLine status={describeStatus(server)} />
                        </dd>
                        <dt className="text-slate-500">Used by</dt>
                        <dd data-testid="server-groups">
                          {server.groupNames.length === 0 ? (
                            <span className="text-slate-500">No group yet</span>
                          ) : (
                            server.groupNames.map((group, i) => (
                              <span key={group}>
                                {i > 0 && ", "}
                                <Link
                                  href={`/admin/groups/${encodeURIComponent(group)}`}
                                  className="wrap-anywhere text-brand-700 hover:underline"
                                >
                                  {group}
                                </Link>
                              </span>
                            ))
                          )}
                        </dd>
                      </dl>
                    </div>
                    <div className="flex shrink-0 items-start gap-2">
                      <Link
                        href={`/admin/servers/${encodeURIComponent(server.name)}`}
                        className="btn-secondary px-2 py-1 text-xs"
                      >
                        Edit
                      </Link>
                      <EnableToggle name={server.name} enabled={server.enabled} small />
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section id="add-server" className="card scroll-mt-6">
        <h2 className="mb-1 text-lg font-semibold">Add a server</h2>
        <p className="mb-5 text-sm text-slate-600">
          Only admins can define servers: a stdio command runs on the hub&rsquo;s machine.
        </p>
        <ServerForm mode="create" initial={emptyServerForm} />
      </section>
    </>
  );
}
