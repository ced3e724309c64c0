import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import { getPublicUrl } from "@/lib/config/env";
import { listGroupsForUser, type MyGroup } from "@/lib/groups/memberships";
import { MembershipActions } from "./_components/membership-actions";

export const metadata: Metadata = { title: "Groups" };

function toolCount(server: MyGroup["servers"][number]): string {
  if (server.tools) return `${server.tools.length} chosen tool${server.tools.length === 1 ? "" : "s"}`;
  if (server.toolCount === null) return "tools not listed yet";
  return `${server.toolCount} tool${server.toolCount === 1 ? "" : "s"}`;
}

function GettingStarted({ groups, isAdmin }: { groups: MyGroup[]; isAdmin: boolean }) {
  const member = groups.filter((g) => g.member);
  const active = member.filter((g) => g.active);
  if (active.length > 0) return null;
  let title: string;
  let body: React.ReactNode;
  if (groups.length === 0) {
    title = "There are no groups yet";
    body = isAdmin ? (
      <>
        Groups decide which tools people get. As an admin, add a server on{" "}
        <Link href="/admin/servers" className="font-medium underline">
          Servers
        </Link>{" "}
        and create a group for it on{" "}
        <Link href="/admin/groups" className="font-medium underline">
          Groups
        </Link>
        .
      </>
    ) : (
      "An admin must create a group before you can use any tools. Ask one of the hub's admins, then come back here to join it."
    );
  } else if (member.length === 0) {
    title = "Start by joining a group";
    body =
      "Your endpoint serves the tools of the groups you join and switch active. Pick one below, then create a key on Keys to connect your MCP client.";
  } else {
    title = "None of your groups is active";
    body = "Your endpoint serves no tools right now. Activate a group below to use its tools.";
  }
  return (
    <section
      className="mb-6 rounded-xl border border-brand-600/30 bg-brand-50 p-5"
      data-testid="groups-getting-started"
    >
      <h2 className="font-semibold text-brand-700">{title}</h2>
      <p className="mt-1 text-sm text-slate-700">{body}</p>
    </section>
  );
}

export default async function GroupsPage() {
  const user = await requireUser();
  const groups = await listGroupsForUser(user.id);
  const base = `${getPublicUrl()}/api/mcp`;
  const active = groups.filter((g) => g.active);

  return (
    <>
      <PageHeader
        title="Groups"
        description="Groups bundle the tools admins offer. Your endpoint serves every group you switch active."
      />
      <GettingStarted groups={groups} isAdmin={user.role === "admin"} />
      {active.length > 0 && (
        <p className="mb-6 text-sm text-slate-700" data-testid="active-summary">
          <span className="font-mono">{base}</span> serves{" "}
          {active.map((g, i) => (
            <span key={g.id}>
              {i > 0 && (i === active.length - 1 ? " and " : ", ")}
              <span className="font-medium">{g.name}</span>
            </span>
          ))}
          .{" "}
          <Link href="/account/keys" className="text-brand-700 underline">
            Connect a client
          </Link>
        </p>
      )}
      {groups.length > 0 && (
        <ul className="grid gap-4 lg:grid-cols-2">
          {groups.map((group) => (
            <li
              key={group.id}
              className={`card flex min-w-0 flex-col gap-4 ${group.active ? "border-green-300" : ""}`}
              data-testid="my-group"
              data-name={group.name}
            >
              <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-2">
                    <h2 className="wrap-anywhere font-semibold">{group.name}</h2>
                    {group.active ? (
                      <Badge tone="green">Active</Badge>
                    ) : group.member ? (
                      <Badge>Inactive</Badge>
                    ) : (
                      <Badge tone="blue">Not joined</Badge>
                    )}
                    {group.visibility === "restricted" && <Badge tone="amber">restricted</Badge>}
                  </div>
                  {group.description && <p className="mt-1 text-sm text-slate-600">{group.description}</p>}
                </div>
                <MembershipActions
                  name={group.name}
                  member={group.member}
                  active={group.active}
                  restricted={group.visibility === "restricted"}
                />
              </div>
              {group.servers.length === 0 ? (
                <p className="text-sm text-slate-500">No servers in this group yet.</p>
              ) : (
                <ul
                  className="divide-y divide-slate-100 rounded-lg border border-slate-100 text-sm"
                  data-testid="my-group-servers"
                >
                  {group.servers.map((server) => (
                    <li key={server.name} className="flex flex-wrap justify-between gap-2 px-3 py-2">
                      <span className={`wrap-anywhere font-medium ${server.enabled ? "" : "text-slate-400"}`}>
                        {server.name}
                      </span>
                      <span className="text-slate-500">
                        {server.enabled ? toolCount(server) : "switched off by an admin"}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {group.member && (
                <p className="text-xs text-slate-500">
                  This group alone: <span className="break-all font-mono">{`${base}/${group.name}`}</span>
                  {group.visibility === "restricted" && " · an admin manages your membership"}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
