// node bench/profile-summary.mjs <file.cpuprofile> [seconds=10] [top=40] [filter]
//
// Reads a V8 CPU profile of the hub (`BENCH_PROFILE=1 npm run bench:gateway` writes one to
// tests/.artifacts/hub-profile/) and prints where the CPU went during its last `seconds` (the
// measured calls, without start-up): self time by package, self time and inclusive time by function.
// Frames in the production build's chunks are named by their source file and line through the
// chunks' source maps, so "lib/mcp/catalog.ts:160" rather than a minified name. `filter` (a regular
// expression) keeps the matching functions only. With CALLERS=<regex>, also prints who calls the
// matching frames (DEPTH frames of each caller chain, default 2): CALLERS='\[zod\]' shows which
// code validates what.
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

const [file, secondsArg = "10", topArg = "40", filterArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [seconds] [top] [filter]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const top = Number(topArg);
const filter = filterArg ? new RegExp(filterArg) : null;

const sourceMaps = new Map();
function sourceMapOf(url) {
  if (!sourceMaps.has(url)) {
    let map = null;
    try {
      const path = fileURLToPath(url);
      if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8")));
    } catch {}
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}

const packageOf = (url) => {
  const name = /node_modules\/((?:(?:@|%40)[^/]+\/)?[^/]+)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : null;
};

/** A readable name for a profile node: function, then source file and line or [package]. */
const names = new Map();
function nameOf(node) {
  if (names.has(node.id)) return names.get(node.id);
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  let name;
  if (!url) name = functionName || "(native)";
  else if (url.startsWith("node:")) name = `${functionName || "(anon)"} ${url.replace("node:internal/", "")}`;
  else {
    const entry = url.includes(".next/server") ? sourceMapOf(url)?.findEntry(lineNumber, columnNumber) : null;
    if (entry?.originalSource) {
      const source = entry.originalSource.replace(/^.*?\/(lib|app|node_modules)\//, "$1/");
      const pkg = packageOf(source);
      const fn = entry.name ?? functionName ?? "(anon)";
      name = pkg ? `${fn} [${pkg}]` : `${fn} ${source}:${entry.originalLine + 1}`;
    } else name = `${functionName || "(anon)"} [${packageOf(url) ?? url.slice(-40)}]`;
  }
  names.set(node.id, name);
  return name;
}

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const stackOf = (id) => {
  const stack = [];
  for (let at = id; at !== undefined; at = parents.get(at)) stack.push(nameOf(nodes.get(at)));
  return stack;
};

const from = profile.endTime - Number(secondsArg) * 1e6;
const self = new Map();
const inclusive = new Map();
const byPackage = new Map();
const callers = new Map();
const callersOf = process.env.CALLERS ? new RegExp(process.env.CALLERS) : null;
const depth = Number(process.env.DEPTH ?? 2);
const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
let time = profile.startTime;
let busy = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  time += profile.timeDeltas[i];
  if (time < from) return;
  const stack = stackOf(id);
  if (stack[0] === "(idle)") {
    idle++;
    return;
  }
  busy++;
  add(self, stack[0]);
  add(
    byPackage,
    /\[(.*)\]$/.exec(stack[0])?.[1] ??
      (/ (lib|app)\//.test(stack[0]) ? "(the hub's code)" : "(node and native)"),
  );
  for (const name of new Set(stack)) add(inclusive, name);
  if (callersOf) {
    const first = stack.findIndex((name) => callersOf.test(name));
    if (first >= 0) {
      let caller = first;
      while (caller < stack.length && callersOf.test(stack[caller])) caller++;
      add(callers, stack.slice(caller, caller + depth).join(" < "));
    }
  }
});

const percent = (count) => `${((count / busy) * 100).toFixed(2).padStart(6)}%`;
const print = (title, map, count = top) => {
  console.log(`--- ${title}`);
  [...map]
    .filter(([name]) => !filter || filter.test(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .forEach(([name, n]) => {
      console.log(`${percent(n)}  ${name}`);
    });
};
console.log(
  `last ${secondsArg} s: ${busy + idle} samples, ${((idle / (busy + idle)) * 100).toFixed(1)}% idle; shares are of the busy samples`,
);
print("self, by package", byPackage, 15);
print("self", self);
print("inclusive", inclusive);
if (callersOf) print(`callers of /${process.env.CALLERS}/`, callers, 25);
