import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/app/_components/badge";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { describeIsolation, describeStatus, exposedTools } from "@/lib/servers/describe";
import { serverFormValues } from "@/lib/servers/form";
import { listServers } from "@/lib/servers/queries";
import { toServerInput } from "@/lib/servers/serialize";
import { DeleteServerButton, EnableToggle, RefreshToolsButton } from "../_components/server-actions";
import { ServerForm } from "../_components/server-form";
import { ServerStatusLine } from "../_components/server-status";
import { ToolTable } from "../_components/tool-table";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ renamed?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Server ${(await params).name}` };
}

export default async function ServerPage({ params, searchParams }: Props) {
  await requireAdmin();
  const { name } = await params;
  const { renamed } = await searchParams;
  const server = (await listServers()).find((s) => s.name === name);
  if (!server) notFound();
  const isolation = describeIsolation(server);
  const status = describeStatus(server);

  return (
    <>
      <Link href="/admin/servers" className="mb-3 inline-block text-sm text-brand-700 hover:underline">
        ← All servers
      </Link>
      <PageHeader title={server.name} description={server.description ?? undefined}>
        <div className="flex flex-wrap items-center gap-2">
          <Badge>{server.type}</Badge>
          {server.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="red">Disabled</Badge>}
        </div>
      </PageHeader>
      {renamed && (
        <p role="status" className="mb-6 rounded-lg bg-green-50 px-3 py-2 text-sm text-green-800">
          Saved and renamed from {renamed}. Groups that use it follow the new name.
        </p>
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <section className="card min-w-0 lg:col-span-2" aria-labelledby="configuration">
          <h2 id="configuration" className="mb-5 text-lg font-semibold">
            Configuration
          </h2>
          <ServerForm mode="edit" initial={serverFormValues(toServerInput(server))} />
        </section>

        <div className="min-w-0 space-y-6">
          <section className="card space-y-3" aria-labelledby="status">
            <h2 id="status" className="font-semibold">
              Status
            </h2>
            <p className="text-sm" data-testid="server-status">
              <ServerStatusLine status={status} />
            </p>
            <p className="text-sm">
              <span className="text-slate-500">Isolation:</span>{" "}
              <span className="font-medium">{isolation.label}</span>: {isolation.reason}
            </p>
            <div className="flex flex-wrap items-start gap-2">
              <EnableToggle name={server.name} enabled={server.enabled} />
              {server.type !== "builtin" && <RefreshToolsButton name={server.name} />}
            </div>
            <p className="text-xs text-slate-500">
              {server.enabled
                ? "Disabling hides its tools from everyone at once; groups keep it for later."
                : "Disabled: nobody sees or calls its tools until you enable it."}
            </p>
          </section>

          <section className="card space-y-2" aria-labelledby="used-by">
            <h2 id="used-by" className="font-semibold">
              Used by
            </h2>
            {server.groupNames.length === 0 ? (
              <p className="text-sm text-slate-600">
                No group yet. Add it to a group on{" "}
                <Link href="/admin/groups" className="text-brand-700 underline">
                  Groups
                </Link>{" "}
                so people can use it.
              </p>
            ) : (
              <ul className="list-disc pl-5 text-sm">
                {server.groupNames.map((group) => (
                  <li key={group}>
                    <Link
                      href={`/admin/groups/${encodeURIComponent(group)}`}
                      className="wrap-anywhere text-brand-700 hover:underline"
                    >
                      {group}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card space-y-3" aria-labelledby="delete">
            <h2 id="delete" className="font-semibold">
              Delete
            </h2>
            <p className="text-sm text-slate-600">
              A server in a group cannot be deleted: remove it from its groups first, or disable it.
            </p>
            <DeleteServerButton name={server.name} />
          </section>
        </div>
      </div>

      <section className="card mt-6" aria-labelledby="tools">
        <h2 id="tools" className="mb-3 font-semibold">
          Tools as last listed
        </h2>
        {server.tools ? (
          <ToolTable tools={exposedTools(server, server.tools)} />
        ) : (
          <p className="text-sm text-slate-600">
            {server.type === "builtin"
              ? "Built-in tools are served by the hub itself."
              : "Not listed yet. Use Test connection above, or List tools again, to see what it offers."}
          </p>
        )}
      </section>
    </>
  );
}
