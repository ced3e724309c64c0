import type { Metadata } from "next";
import { formatDate, formatRelative } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { RevokeKeyButton } from "@/app/_components/revoke-key-button";
import { requireUser } from "@/lib/auth/session";
import { getPublicUrl } from "@/lib/config/env";
import { type KeySummary, listKeys } from "@/lib/keys/queries";
import { KeysWorkspace } from "./_components/keys-workspace";
import { revokeKeyAction } from "./actions";

export const metadata: Metadata = { title: "Keys" };

function KeyList({ keys, revokedCount, now }: { keys: KeySummary[]; revokedCount: number; now: Date }) {
  return (
    <section className="card p-0" aria-labelledby="your-keys">
      <h2 id="your-keys" className="px-5 pt-5 font-semibold">
        Your keys
      </h2>
      {keys.length === 0 ? (
        <p className="px-5 pt-1 pb-5 text-sm text-slate-600" data-testid="keys-empty">
          You have no keys yet. Create one above, then paste a client configuration.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 border-t border-slate-100">
          {keys.map((key) => {
            const expired = key.expiresAt !== null && key.expiresAt <= now;
            return (
              <li
                key={key.id}
                className="flex items-start gap-3 px-5 py-3 text-sm"
                data-testid="key-row"
                data-name={key.name}
              >
                <div className="min-w-0 flex-1 space-y-0.5">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{key.name}</span>
                    <code className="font-mono text-xs text-slate-600" data-testid="key-hint">
                      {key.partialKey}
                    </code>
                    {expired && (
                      <span className="rounded bg-red-50 px-1.5 text-xs text-red-700">expired</span>
                    )}
                  </div>
                  <div className="text-xs text-slate-500">
                    Created {formatDate(key.createdAt)} ·{" "}
                    {key.lastUsedAt ? `last used ${formatRelative(key.lastUsedAt, now)}` : "never used"} ·{" "}
                    {key.expiresAt
                      ? `${expired ? "expired" : "expires"} ${formatDate(key.expiresAt)}`
                      : "no expiry"}
                  </div>
                </div>
                <RevokeKeyButton keyId={key.id} label={key.name} revoke={revokeKeyAction} />
              </li>
            );
          })}
        </ul>
      )}
      {revokedCount > 0 && (
        <p className="border-t border-slate-100 px-5 py-3 text-xs text-slate-500">
          {revokedCount} revoked key{revokedCount === 1 ? " is" : "s are"} not shown.
        </p>
      )}
    </section>
  );
}

export default async function KeysPage() {
  const user = await requireUser();
  const all = await listKeys(user.id);
  const now = new Date();
  const live = all.filter((key) => !key.revokedAt);
  return (
    <>
      <PageHeader
        title="Keys"
        description="MCPHub keys let your MCP clients use your endpoint as you. Keep them secret like a password."
      />
      <KeysWorkspace
        endpoint={`${getPublicUrl()}/api/mcp`}
        keyList={<KeyList keys={live} revokedCount={all.length - live.length} now={now} />}
      />
    </>
  );
}
