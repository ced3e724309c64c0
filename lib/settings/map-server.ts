/** Fields of MCPHub's server entries that this hub understands; anything else is reported as ignored. */
const KNOWN = new Set([
  "type",
  "command",
  "args",
  "env",
  "url",
  "headers",
  "enabled",
  "isolation",
  "riskLevel",
  "toolPrefix",
  "builtin",
  "description",
  "callTimeoutMs",
  "listTimeoutMs",
  "idleTimeoutMs",
  "contextHeaders",
  "protocolVersion",
]);
const SEED_ISOLATED = new Set(["baseCommand", "baseArgs", "userTokens", "userDirectories"]);

/** A server name made valid for this hub: MCPHub allowed spaces and punctuation. */
export function safeServerName(name: string): string {
  const slug = name
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 63);
  return slug || "server";
}

/**
 * Maps one MCPHub `mcpServers` entry to this hub's server input (contract §3): infers a missing
 * `type`, turns the seed's `user-isolated` entries into stdio servers with `isolation: process`,
 * and `${USER_HOME_DIR}` into `${MCPHUB_USER_HOME}`. Returns notes for the import report.
 */
export function mapImportedServer(
  name: string,
  raw: Record<string, unknown>,
): { input: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const input: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (KNOWN.has(key)) input[key] = value;
    else if (!(raw.type === "user-isolated" && SEED_ISOLATED.has(key))) ignored.push(key);
  }
  input.name = safeServerName(name);
  if (input.name !== name) notes.push(`renamed from "${name}" to ${input.name as string}`);

  if (raw.type === "user-isolated") {
    const tokens = Array.isArray(raw.userTokens)
      ? raw.userTokens.filter((t): t is string => typeof t === "string")
      : [];
    const directories = Array.isArray(raw.userDirectories)
      ? raw.userDirectories.filter((d): d is string => typeof d === "string")
      : [];
    input.type = "stdio";
    input.isolation = "process";
    input.command = raw.baseCommand;
    input.args = [...(Array.isArray(raw.baseArgs) ? raw.baseArgs : []), ...directories];
    input.env = {
      ...(typeof raw.env === "object" && raw.env ? raw.env : {}),
      ...Object.fromEntries(tokens.map((t) => [t, `\${USER_${t}}`])),
    };
    notes.push("user-isolated imported as stdio with isolation process");
  } else if (input.type === undefined) {
    if (typeof raw.command === "string") input.type = "stdio";
    else if (typeof raw.url === "string") input.type = /\/sse\/?$/.test(raw.url) ? "sse" : "streamable-http";
    if (input.type) notes.push(`type ${input.type as string} inferred`);
  }
  if (Array.isArray(input.args)) {
    input.args = input.args.map((arg) =>
      typeof arg === "string" ? arg.replaceAll("${USER_HOME_DIR}", "${MCPHUB_USER_HOME}") : arg,
    );
  }
  if (ignored.length > 0) notes.push(`ignored fields: ${ignored.join(", ")}`);
  return { input, notes };
}
