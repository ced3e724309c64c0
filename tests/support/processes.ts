import { readdirSync, readFileSync } from "node:fs";
import type { Client } from "@modelcontextprotocol/client";
import { type Answer, apiOk, connectV2 } from "./mcp";

/** The stdio fixture that reports what its sandbox allows (tests/fixtures/servers/isolation-probe.mjs). */
export const PROBE_SERVER = {
  type: "stdio",
  command: "node",
  args: ["tests/fixtures/servers/isolation-probe.mjs"],
  isolation: "process",
} as const;

export type ProcessInfo = {
  id: string;
  userId: string;
  userEmail: string;
  server: string;
  pid: number | null;
  state: string;
  memoryBytes: number | null;
  crashes: number;
  configVersion: number;
};

/** The worker's list, narrowed to one server (tests share the hub). */
export async function processesOf(
  server: string,
  base?: { url: string; key: string },
): Promise<ProcessInfo[]> {
  const list = base
    ? await (
        await fetch(`${base.url}/api/worker/processes`, { headers: { Authorization: `Bearer ${base.key}` } })
      ).json()
    : await apiOk("GET", "/api/worker/processes");
  return (list.processes as ProcessInfo[]).filter((p) => p.server === server);
}

/** Calls a tool and returns its structured result (the fixture answers JSON). */
export async function callJson(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Answer> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return (
    result.structuredContent ?? JSON.parse((result.content as Array<{ text: string }>)[0]?.text ?? "null")
  );
}

export async function clientFor(key: string, path = "/api/mcp") {
  return (await connectV2(path, key)).client;
}

/** Whether a pid is alive (and not a zombie) in this machine's process table. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Every live process whose command line contains `marker`. */
export function processesMatching(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(marker) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

export async function waitFor(
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
