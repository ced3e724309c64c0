"use client";

import { useId, useState } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { buildClientConfigs, type ClientId } from "@/lib/keys/client-config";

/** One tab per MCP client, each with where to paste and a copy button. */
export function ClientConfigs({ endpoint, secret }: { endpoint: string; secret?: string }) {
  const configs = buildClientConfigs(endpoint, secret);
  const [current, setCurrent] = useState<ClientId>("claude-desktop");
  const base = useId();
  const selected = configs.find((c) => c.id === current) ?? configs[0];
  if (!selected) return null;

  return (
    <div>
      <div
        role="tablist"
        aria-label="MCP clients"
        className="mb-3 flex gap-1 overflow-x-auto border-b border-slate-200"
      >
        {configs.map((config) => (
          <button
            key={config.id}
            type="button"
            role="tab"
            id={`${base}-${config.id}-tab`}
            aria-selected={config.id === current}
            aria-controls={`${base}-${config.id}-panel`}
            onClick={() => setCurrent(config.id)}
            className={`-mb-px shrink-0 whitespace-nowrap rounded-t-lg border px-3 py-1.5 text-sm ${
              config.id === current
                ? "border-slate-200 border-b-white bg-white font-medium text-brand-700"
                : "border-transparent text-slate-600 hover:text-brand-700"
            }`}
          >
            {config.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-${selected.id}-panel`}
        aria-labelledby={`${base}-${selected.id}-tab`}
        className="space-y-3"
        data-testid="client-config"
        data-client={selected.id}
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm text-slate-700">
            {selected.language === "shell" ? "Run in " : "Add to "}
            <span className="font-medium">{selected.where}</span>
          </p>
          <CopyButton text={selected.code} />
        </div>
        <pre
          className="overflow-x-auto rounded-lg bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100"
          data-testid="client-snippet"
        >
          <code>{selected.code}</code>
        </pre>
        <p className="text-xs text-slate-500">{selected.note}</p>
      </div>
    </div>
  );
}
