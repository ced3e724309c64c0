import type { Metadata } from "next";
import { formatRelative } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listProcesses, processLogs, sandboxLayers } from "@/lib/processes/worker";
import { ProcessActions } from "./_components/process-actions";

export const metadata: Metadata = { title: "Processes" };
export const dynamic = "force-dynamic";

const megabytes = (bytes: number | null) => (bytes === null ? "—" : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

export default async function ProcessesPage() {
  await requireAdmin();
  const processes = listProcesses();
  const layers = sandboxLayers();
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Processes"
        description="Isolated processes: one per person for each stdio server with isolation process, started on their first call, stopped when idle."
      />
      <section className="card mb-8" aria-label="Sandbox">
        <h2 className="mb-3 font-medium">Sandbox on this machine</h2>
        <ul className="space-y-2 text-sm" data-testid="sandbox-layers">
          {layers.map((layer) => (
            <li key={layer.name} className="flex gap-3" data-layer={layer.name} data-active={layer.active}>
              <span
                className={`w-24 shrink-0 rounded px-2 py-0.5 text-center text-xs ${layer.active ? "bg-green-50 text-green-700" : "bg-amber-50 text-amber-800"}`}
              >
                {layer.name}: {layer.active ? "on" : "off"}
              </span>
              <span className="text-slate-600">{layer.detail}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card p-0" aria-label="Processes">
        {processes.length === 0 ? (
          <p className="p-5 text-sm text-slate-600" data-testid="processes-empty">
            No isolated processes are running. One appears when a person first calls a tool (or lists tools)
            of a stdio server whose isolation is process, and goes away after the server's idle time.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {processes.map((p) => {
              const label = `${p.server} for ${p.userEmail}`;
              const stderr = processLogs(p.id).stderr.trim();
              return (
                <li key={p.id} className="p-4" data-testid="process-row" data-id={p.id}>
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div className="min-w-0 text-sm">
                      <div className="wrap-anywhere font-medium">
                        {p.server} <span className="font-normal text-slate-500">for</span> {p.userEmail}
                      </div>
                      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
                        <span data-testid="process-state">state: {p.state}</span>
                        <span>pid: {p.pid ?? "—"}</span>
                        <span>memory: {megabytes(p.memoryBytes)}</span>
                        <span>started: {p.startedAt ? formatRelative(new Date(p.startedAt), now) : "—"}</span>
                        <span>last used: {formatRelative(new Date(p.lastUsedAt), now)}</span>
                        <span>config v{p.configVersion}</span>
                        {p.crashes > 0 && <span>crashes: {p.crashes}</span>}
                        {p.retryAt && (
                          <span>
                            restarts on next call after {new Date(p.retryAt).toLocaleTimeString("en")}
                          </span>
                        )}
                      </div>
                    </div>
                    <ProcessActions id={p.id} label={label} />
                  </div>
                  <details className="mt-2" open={p.state === "crashed"}>
                    <summary className="cursor-pointer text-xs text-slate-500">Recent stderr</summary>
                    <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
                      {stderr || "(nothing written to stderr)"}
                    </pre>
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
