import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { ARTIFACTS_DIR, HUB_URL } from "../support/env";
import { personWithEverything } from "../support/mcp";

// The official MCP Inspector's CLI (2.12, a real client outside the SDK's own tests) against the
// hub: it lists the person's tools and calls one, with the key in an Authorization header. The
// Inspector needs Node ≥ 22.19 while the project runs on Node 20, so it runs on the Node 22 that
// scripts/node22.mjs provides (fetched once); without one the test fails and says why.

const run = promisify(execFile);
const INSPECTOR = path.resolve(
  "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js",
);

async function inspector(args: string[]): Promise<string> {
  let node: string;
  try {
    // The same helper `npm run conformance` uses; it prints the binary's path, fetching it if needed.
    node = execFileSync(process.execPath, ["scripts/node22.mjs"], {
      encoding: "utf8",
      timeout: 120_000,
    }).trim();
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`The Inspector CLI needs Node ≥ 22.19 and none could be provided: ${stderr || message}`);
  }
  const { stdout } = await run(node, [INSPECTOR, "--cli", ...args], {
    timeout: 60_000,
    // Its catalog of servers would otherwise be written to the home folder.
    env: { ...process.env, MCP_CATALOG_PATH: path.join(ARTIFACTS_DIR, "inspector-catalog.json") },
  });
  return stdout;
}

// One after the other: both would otherwise fetch Node 22 into the same folder at once.
test.describe.configure({ mode: "serial" });

test("the Inspector CLI lists the person's tools through the hub and calls echo", async () => {
  test.setTimeout(120_000);
  test.info().annotations.push({ type: "client", description: "@modelcontextprotocol/inspector 2.12 --cli" });
  const { person, server } = await personWithEverything("inspector");
  const target = [
    `${HUB_URL}/api/mcp`,
    "--transport",
    "http",
    "--header",
    `Authorization: Bearer ${person.key}`,
  ];

  const listed = JSON.parse(await inspector([...target, "--method", "tools/list"]));
  const names: string[] = listed.tools.map((tool: { name: string }) => tool.name);
  expect(names).toContain(`${server}-echo`);
  expect(names.every((name) => name.startsWith(`${server}-`))).toBe(true);

  const called = JSON.parse(
    await inspector([
      ...target,
      "--method",
      "tools/call",
      "--tool-name",
      `${server}-echo`,
      "--tool-arg",
      "message=hello from the inspector",
    ]),
  );
  expect(called.content).toEqual([{ type: "text", text: "Echo: hello from the inspector" }]);
  expect(called.isError ?? false).toBe(false);
});

test("the Inspector CLI is refused without a key, and its output says so", async () => {
  test.setTimeout(120_000);
  const failure = await inspector([
    `${HUB_URL}/api/mcp`,
    "--transport",
    "http",
    "--method",
    "tools/list",
  ]).then(
    () => null,
    (error: { stdout?: string; stderr?: string; code?: number }) => error,
  );
  expect(failure, "the Inspector should exit non-zero without a key").not.toBeNull();
  // The hub's 401 makes the Inspector want to start OAuth, which it cannot do without a terminal.
  expect(`${failure?.stdout ?? ""}${failure?.stderr ?? ""}`).toMatch(/auth_required|401|nauthori[sz]ed/);
});
