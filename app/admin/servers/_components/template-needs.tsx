import type { TemplateNeeds } from "@/lib/servers/needs";

function Names({ names }: { names: string[] }) {
  return (
    <>
      {names.map((name, i) => (
        <span key={name}>
          {i > 0 && ", "}
          <code className="font-mono text-xs">{name}</code>
        </span>
      ))}
    </>
  );
}

/** What the configuration's `${…}` templates ask for, updated as the admin types. */
export function TemplateNeedsPanel({ needs }: { needs: TemplateNeeds }) {
  const none = needs.credentials.length === 0 && needs.hub.length === 0 && needs.context.length === 0;
  return (
    <div className="rounded-lg bg-slate-50 px-4 py-3 text-sm text-slate-700" data-testid="template-needs">
      {none ? (
        <p>
          No templates: everyone shares the same configuration. Use{" "}
          <code className="font-mono text-xs">{`\${USER_GITHUB_TOKEN}`}</code> for a credential each person
          links, <code className="font-mono text-xs">{`\${MCPHUB_USER_ID}`}</code> for who is calling, or{" "}
          <code className="font-mono text-xs">{`\${NAME}`}</code> for a variable of the hub&rsquo;s
          environment.
        </p>
      ) : (
        <ul className="space-y-1">
          {needs.credentials.length > 0 && (
            <li>
              <span className="font-medium">Credentials each person links:</span>{" "}
              <Names names={needs.credentials} />
            </li>
          )}
          {needs.hub.length > 0 && (
            <li>
              <span className="font-medium">From the hub&rsquo;s environment (shared):</span>{" "}
              <Names names={needs.hub} />
            </li>
          )}
          {needs.context.length > 0 && (
            <li>
              <span className="font-medium">Filled in per call:</span> <Names names={needs.context} />
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
