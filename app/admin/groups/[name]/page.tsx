import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/app/_components/badge";
import { formatDate } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listGroupMembers } from "@/lib/groups/memberships";
import { getGroupByName, getGroupDetail } from "@/lib/groups/queries";
import { DeleteGroupButton } from "../_components/delete-group-button";
import { GroupForm } from "../_components/group-form";
import { Members } from "../_components/members";
import { getServerOptions } from "../server-options";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Group ${(await params).name}` };
}

export default async function GroupPage({ params }: Props) {
  await requireAdmin();
  const { name } = await params;
  if (!(await getGroupByName(name))) notFound();
  const [group, members, servers] = await Promise.all([
    getGroupDetail(name),
    listGroupMembers(name),
    getServerOptions(),
  ]);
  const restricted = group.visibility === "restricted";

  return (
    <>
      <Link href="/admin/groups" className="mb-3 inline-block text-sm text-brand-700 hover:underline">
        ← All groups
      </Link>
      <PageHeader title={group.name} description={group.description ?? undefined}>
        {restricted ? <Badge tone="amber">restricted</Badge> : <Badge tone="blue">public</Badge>}
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <section className="card min-w-0 lg:col-span-2" aria-labelledby="settings">
          <h2 id="settings" className="mb-5 text-lg font-semibold">
            Settings
          </h2>
          <GroupForm
            mode="edit"
            servers={servers}
            initial={{
              name: group.name,
              description: group.description ?? "",
              visibility: group.visibility,
              servers: group.servers.map((s) => ({ name: s.name, tools: s.tools })),
            }}
          />
        </section>
        <div className="min-w-0 space-y-6">
          <section className="card" aria-labelledby="members">
            <h2 id="members" className="mb-1 font-semibold">
              Members ({members.length})
            </h2>
            <p className="mb-4 text-sm text-slate-600">
              {restricted
                ? "Only the people listed here can see and use this group."
                : "Anyone can join this group; you can also add or remove people here."}
            </p>
            <Members
              groupName={group.name}
              restricted={restricted}
              members={members.map((m) => ({
                userId: m.userId,
                email: m.email,
                name: m.name,
                active: m.active,
                joined: formatDate(m.joinedAt),
              }))}
            />
          </section>
          <section className="card space-y-3" aria-labelledby="delete">
            <h2 id="delete" className="font-semibold">
              Delete
            </h2>
            <p className="text-sm text-slate-600">Its servers stay; members lose the group&rsquo;s tools.</p>
            <DeleteGroupButton name={group.name} members={members.length} />
          </section>
        </div>
      </div>
    </>
  );
}
