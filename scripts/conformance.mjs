// npm run conformance - the official MCP conformance suite's server scenarios, run against the hub:
// 0.1.16 for protocol revision 2025-11-25 and 0.2.0-alpha.12 (`--requirements 2026-07-28`) for the
// stateless revision. The hub (production build, fresh embedded data folder) serves one group that
// holds tests/fixtures/servers/conformance-server.mjs and input-required-server.mjs (spoken to in
// 2026-07-28) over stdio with empty tool prefixes, so the suite sees the fixtures' tool, prompt and
// resource names unchanged. The suite needs Node 22,
// fetched by scripts/node22.mjs. Scenarios listed in NOT_APPLICABLE (with the reason, also in
// docs/conformance.md) are reported but not counted; the last line is "N passed, N failed".
// Results: tests/.artifacts/conformance/summary.json. CONFORMANCE_PORT picks the hub's port (3710).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, startLocalHub } from "./local-hub.mjs";
import { ensureNode22 } from "./node22.mjs";

const TASKS = "not applicable: the tasks extension is unfinished and the hub does not advertise it";

/**
 * Scenarios the hub does not pass for a documented reason (a feature a gateway does not relay, a
 * check the suite cannot make through an authenticated endpoint), keyed "revision/scenario". They
 * are reported but not counted. Anything failing that is not listed here counts as a failure.
 */
export const NOT_APPLICABLE = {
  "2026-07-28/http-header-validation":
    "not testable here: this scenario drops the URL's query (where the key is, the suite cannot send an Authorization header), so the hub answers 401 before it looks at Mcp-Method/Mcp-Name",
  "2026-07-28/http-custom-header-server-validation":
    "not testable: no tool declares x-mcp-header annotations (the suite says so itself)",
  ...Object.fromEntries(
    [
      "capability-negotiation",
      "dispatch-and-envelope",
      "lifecycle",
      "mrtr-composition",
      "mrtr-input",
      "request-headers",
      "request-state-removal",
      "required-task-error",
      "status-notifications",
      "wire-fields",
    ].map((name) => [`2026-07-28/tasks-${name}`, TASKS]),
  ),
};

const SUITES = [
  {
    revision: "2025-11-25",
    bin: "node_modules/@modelcontextprotocol/conformance/dist/index.js",
    args: [],
  },
  {
    revision: "2026-07-28",
    bin: "node_modules/conformance-next/dist/index.js",
    args: ["--requirements", "2026-07-28"],
  },
];

const OUT = path.join(ROOT, "tests/.artifacts/conformance");

function run(command, args, logFile) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      writeFileSync(logFile, output);
      resolve({ code, output });
    });
  });
}

/** Every checks.json under dir, with the scenario named by the folder that holds it. */
function collectChecks(dir) {
  const results = new Map();
  const walk = (folder) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "checks.json") {
        const scenario = path
          .relative(dir, folder)
          .replace(/^server-/, "")
          .replace(/-\d{4}-\d{2}-\d{2}T.*$/, "");
        results.set(scenario, JSON.parse(readFileSync(full, "utf8")));
      }
    }
  };
  walk(dir);
  return results;
}

async function main() {
  const node22 = ensureNode22();
  const port = Number(process.env.CONFORMANCE_PORT ?? 3710);
  const started = Date.now();
  const hub = await startLocalHub({ port, label: "conformance-hub" });
  const summary = { startedAt: new Date(started).toISOString(), revisions: {} };
  let passed = 0;
  let failed = 0;
  try {
    await hub.api("POST", "/api/v1/servers", {
      name: "conformance",
      type: "stdio",
      command: "node",
      args: [path.join(ROOT, "tests/fixtures/servers/conformance-server.mjs")],
      toolPrefix: "",
      // The fixture asks its caller things (sampling, elicitation) and logs while it runs: a
      // person's own process is how such a stdio server is set up, so the hub knows whose call
      // each question is for (a shared stdio pipe cannot say; lib/upstream/relay.ts).
      isolation: "process",
    });
    // The input-required-result-* scenarios' tools and prompt answer with input_required results of
    // their own: a second fixture that the hub speaks 2026-07-28 to, shared by everyone (on that
    // revision every question comes back as the answer to one request, so a shared pipe is fine).
    await hub.api("POST", "/api/v1/servers", {
      name: "conformance-mrtr",
      type: "stdio",
      command: "node",
      args: [path.join(ROOT, "tests/fixtures/servers/input-required-server.mjs")],
      toolPrefix: "",
      isolation: "none",
      protocolVersion: "2026-07-28",
    });
    await hub.api("POST", "/api/v1/groups", {
      name: "conformance",
      servers: ["conformance", "conformance-mrtr"],
      visibility: "public",
    });
    await hub.api("PUT", "/api/v1/me/groups/conformance", { active: true });
    // The suite sends no custom headers: the key goes in the query, which the endpoint accepts.
    const url = `${hub.url}/api/mcp/conformance?key=${hub.adminKey}`;
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });

    for (const suite of SUITES) {
      const dir = path.join(OUT, suite.revision);
      const t0 = Date.now();
      const { output } = await run(
        node22,
        [suite.bin, "server", "--url", url, "-o", dir, ...suite.args],
        path.join(OUT, `${suite.revision}.log`),
      );
      const checks = collectChecks(dir);
      const scenarios = {};
      for (const [scenario, list] of [...checks].sort(([a], [b]) => a.localeCompare(b))) {
        const failures = list.filter((check) => check.status === "FAILURE");
        const reason = NOT_APPLICABLE[`${suite.revision}/${scenario}`];
        const status = failures.length === 0 ? "pass" : reason ? "not applicable" : "fail";
        scenarios[scenario] = {
          status,
          ...(failures.length > 0 && {
            failures: failures.map((check) => `${check.name}: ${check.errorMessage ?? check.description}`),
          }),
          ...(reason && { reason }),
        };
        if (status === "pass") passed++;
        else if (status === "fail") failed++;
        const mark = status === "pass" ? "✓" : status === "fail" ? "✗" : "-";
        console.log(
          `${mark} ${suite.revision} ${scenario}${status === "fail" ? `: ${scenarios[scenario].failures[0]}` : ""}`,
        );
      }
      if (checks.size === 0) {
        failed++;
        console.log(`✗ ${suite.revision}: the suite reported no scenario\n${output.slice(-2000)}`);
      }
      summary.revisions[suite.revision] = { seconds: (Date.now() - t0) / 1000, scenarios };
    }
  } finally {
    await hub.stop();
  }
  summary.seconds = (Date.now() - started) / 1000;
  writeFileSync(path.join(OUT, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(OUT, "summary.md"), renderMarkdown(summary));
  console.log(`\nconformance took ${summary.seconds.toFixed(1)} s; details in tests/.artifacts/conformance/`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/** The per-revision tables of docs/conformance.md. */
function renderMarkdown(summary) {
  const lines = [];
  for (const [revision, { scenarios }] of Object.entries(summary.revisions)) {
    const all = Object.entries(scenarios);
    const count = (status) => all.filter(([, s]) => s.status === status).length;
    lines.push(
      `### ${revision}`,
      "",
      `${count("pass")} pass, ${count("fail")} fail, ${count("not applicable")} not applicable (of ${all.length}).`,
      "",
      "| scenario | result | why |",
      "|---|---|---|",
      ...all.map(
        ([name, s]) =>
          `| ${name} | ${s.status} | ${s.reason ?? (s.status === "fail" ? `bug, open: ${s.failures[0]}` : "")} |`,
      ),
      "",
    );
  }
  return lines.join("\n");
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
});
