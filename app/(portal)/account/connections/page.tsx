import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import {
  GITHUB_CONNECT_MESSAGES,
  GITHUB_CREDENTIAL,
  type GithubConnectFailure,
  githubConnectConfigured,
} from "@/lib/credentials/github-connect";
import { listCredentialStatus } from "@/lib/credentials/status";
import { CredentialForm } from "./_components/credential-form";
import { GithubConnect } from "./_components/github-connect";

export const metadata: Metadata = { title: "Linked accounts" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** Friendly labels for the credentials people meet most; others show their name. */
const LABELS: Record<string, string> = {
  GITHUB_TOKEN: "GitHub token",
  NOTION_TOKEN: "Notion integration token",
  ATLASSIAN_TOKEN: "Atlassian API token",
  JIRA_API_TOKEN: "Jira API token",
};

/** The outcome of a GitHub connect round trip, from the callback's redirect (known codes only). */
function githubOutcome(query: Record<string, string | string[] | undefined>) {
  if (query.github === "connected")
    return { ok: true, text: "GitHub connected: your GitHub tools now run with your own account." };
  const failure = query.github_error;
  if (typeof failure === "string" && Object.hasOwn(GITHUB_CONNECT_MESSAGES, failure))
    return { ok: false, text: GITHUB_CONNECT_MESSAGES[failure as GithubConnectFailure] };
  return null;
}

export default async function ConnectionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const credentials = await listCredentialStatus(user.id);
  const outcome = githubOutcome(await searchParams);
  const githubConfigured = githubConnectConfigured();
  return (
    <>
      <PageHeader
        title="Linked accounts"
        description="The tokens your groups' servers use on your behalf. Saved values are encrypted and never shown again; only their last characters are."
      />
      {outcome && (
        <p
          role={outcome.ok ? "status" : "alert"}
          data-testid="github-outcome"
          className={`mb-4 rounded px-3 py-2 text-sm ${outcome.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          {outcome.text}
        </p>
      )}
      {credentials.length === 0 ? (
        <div className="card text-sm text-slate-700">
          None of your groups&rsquo; servers needs a token from you.{" "}
          <Link href="/groups" className="font-medium text-brand-700 underline">
            Join more groups
          </Link>{" "}
          to see what they ask for.
        </div>
      ) : (
        <ul className="space-y-4">
          {credentials.map((credential) => (
            <li key={credential.name} className="card" data-testid="credential" data-name={credential.name}>
              <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
                <div>
                  <h2 className="font-medium">{LABELS[credential.name] ?? credential.name}</h2>
                  <p className="text-xs text-slate-500">
                    <code className="font-mono">{credential.name}</code>
                    {credential.usedBy.length > 0
                      ? ` · used by ${credential.usedBy.join(", ")}`
                      : " · no server uses it now"}
                  </p>
                </div>
                {credential.linked ? (
                  <span
                    className="rounded bg-green-50 px-2 py-0.5 text-xs text-green-800"
                    data-testid="credential-status"
                  >
                    Linked {credential.hint}
                    {credential.source === "github-oauth" && " through GitHub"} ·{" "}
                    {credential.updatedAt && dateFormat.format(credential.updatedAt)}
                  </span>
                ) : (
                  <span
                    className="rounded bg-amber-50 px-2 py-0.5 text-xs text-amber-900"
                    data-testid="credential-status"
                  >
                    Missing
                  </span>
                )}
              </div>
              {githubConfigured && credential.name === GITHUB_CREDENTIAL && (
                <GithubConnect linked={credential.linked} viaOauth={credential.source === "github-oauth"} />
              )}
              <CredentialForm name={credential.name} linked={credential.linked} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
