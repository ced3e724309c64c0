import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { getRetention } from "@/lib/audit/retention";
import { requireAdmin } from "@/lib/auth/session";
import { ImportForm } from "./_components/import-form";
import { RetentionForm } from "./_components/retention-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireAdmin();
  const retention = await getRetention();
  return (
    <>
      <PageHeader
        title="Settings"
        description="Move servers and groups in and out as MCPHub's mcp_settings.json."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card">
          <h2 className="mb-1 font-medium">Import</h2>
          <p className="mb-4 text-sm text-slate-600">
            Each server and group is created, updated or refused on its own; the report says why. Names MCPHub
            allowed but this hub does not (spaces, brackets) are made safe, and{" "}
            <code className="font-mono">user-isolated</code> servers become stdio servers with one process per
            person.
          </p>
          <ImportForm />
        </section>
        <section className="card">
          <h2 className="mb-1 font-medium">Export</h2>
          <p className="mb-4 text-sm text-slate-600">
            Every server and group, with templates as written. People&rsquo;s own tokens are never part of it.
          </p>
          <a href="/api/v1/settings/export" className="btn-secondary" download="mcp_settings.json">
            Download mcp_settings.json
          </a>
        </section>
        <section className="card">
          <h2 className="mb-1 font-medium">Audit retention</h2>
          <p className="mb-4 text-sm text-slate-600">
            How long the call log and the record of administrative changes are kept.
          </p>
          <RetentionForm retention={retention} />
        </section>
      </div>
    </>
  );
}
