import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import { getPublicUrl } from "@/lib/config/env";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const user = await requireUser();
  const endpoint = `${getPublicUrl()}/api/mcp`;
  return (
    <>
      <PageHeader
        title={`Welcome${user.name ? `, ${user.name}` : ""}`}
        description="Point your MCP client at your endpoint and use every tool your groups offer, with your own accounts."
      />
      <section className="card mb-6">
        <h2 className="text-sm font-medium text-slate-500">Your MCP endpoint</h2>
        <p
          className="mt-2 break-all rounded-lg bg-slate-100 px-3 py-2 font-mono text-sm"
          data-testid="mcp-endpoint"
        >
          {endpoint}
        </p>
        <p className="mt-2 text-sm text-slate-600">
          Clients authenticate with an MCPHub key sent as{" "}
          <code className="font-mono">Authorization: Bearer mcphub_…</code>.
        </p>
      </section>
      <section className="card">
        <h2 className="mb-3 font-medium">What to do next</h2>
        <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
          <li>
            <Link href="/groups" className="font-medium text-brand-700 underline">
              Join the groups
            </Link>{" "}
            whose tools you need, and switch them active.
          </li>
          <li>Link the service accounts those tools use (GitHub, Notion, …).</li>
          <li>
            <Link href="/account/keys" className="font-medium text-brand-700 underline">
              Create an MCPHub key
            </Link>{" "}
            and paste the ready-made configuration into your MCP client.
          </li>
        </ol>
        {user.role === "admin" && (
          <p className="mt-4 text-sm text-slate-600">
            As an admin, add the upstream MCP servers on{" "}
            <Link href="/admin/servers" className="font-medium text-brand-700 underline">
              Servers
            </Link>
            , bundle them for people on{" "}
            <Link href="/admin/groups" className="font-medium text-brand-700 underline">
              Groups
            </Link>{" "}
            and add people on{" "}
            <Link href="/admin/users" className="font-medium text-brand-700 underline">
              Users
            </Link>
            .
          </p>
        )}
      </section>
    </>
  );
}
