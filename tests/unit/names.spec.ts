import { expect, test } from "@playwright/test";
import { defaultPrefix, EXPOSED_NAME, exposedToolName, findCollisions, serverPrefix } from "@/lib/mcp/names";

const CONTRACT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** A small deterministic generator (mulberry32), so a failure reproduces with the same inputs. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PIECES = [
  ..."abcXYZ019_-",
  ".",
  " ",
  "/",
  ":",
  "é",
  "ß",
  "中文",
  "🙂",
  "\u0301",
  "\t",
  "名前",
  "tool",
  "get_issue",
  "a".repeat(30),
];

function randomName(next: () => number, maxPieces: number): string {
  const count = Math.floor(next() * maxPieces);
  let out = "";
  for (let i = 0; i < count; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

test.describe("exposedToolName", () => {
  test("keeps a valid name as <prefix>-<tool>", () => {
    expect(exposedToolName("github", "create_issue")).toBe("github-create_issue");
    expect(exposedToolName("a-b_C9", "x-y")).toBe("a-b_C9-x-y");
    expect(exposedToolName("p", "t".repeat(62))).toBe(`p-${"t".repeat(62)}`);
  });

  test("an empty prefix exposes the upstream name alone", () => {
    expect(exposedToolName("", "echo")).toBe("echo");
    expect(exposedToolName("", "get-sum")).toBe("get-sum");
  });

  test("a name of exactly 64 characters is kept; 65 is shortened to 64", () => {
    const exact = exposedToolName("p", "t".repeat(62));
    expect(exact).toHaveLength(64);
    const over = exposedToolName("p", "t".repeat(63));
    expect(over).toHaveLength(64);
    expect(over).not.toBe(`p-${"t".repeat(63)}`);
    expect(over).toMatch(/^p-t+_[0-9a-f]{8}$/);
  });

  test("shortening is stable: the same tool always gets the same name", () => {
    const prefix = "a-very-long-server-name-that-takes-room";
    const tool = "list_all_the_repositories_of_the_organisation_with_details";
    const first = exposedToolName(prefix, tool);
    expect(first.length).toBeLessThanOrEqual(64);
    for (let i = 0; i < 5; i++) expect(exposedToolName(prefix, tool)).toBe(first);
  });

  test("shortening keeps different long names distinct, even when they share the first 64 characters", () => {
    const base = "x".repeat(70);
    const names = ["a", "b", "c", "aa", "ab"].map((suffix) => exposedToolName("srv", `${base}${suffix}`));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(CONTRACT_NAME);
  });

  test("characters outside [A-Za-z0-9_-] are replaced, and the altered name differs from a real one", () => {
    const dotted = exposedToolName("fs", "read.file");
    expect(dotted).toMatch(/^fs-read_file_[0-9a-f]{8}$/);
    // A tool literally called read_file must not be confused with read.file.
    expect(exposedToolName("fs", "read_file")).toBe("fs-read_file");
    expect(dotted).not.toBe(exposedToolName("fs", "read_file"));
    expect(exposedToolName("fs", "read file")).not.toBe(dotted);
    expect(exposedToolName("", "名前")).toMatch(/^___[0-9a-f]{8}$/);
  });

  test("an empty upstream name still gives a valid, non-empty name", () => {
    expect(exposedToolName("", "")).toMatch(CONTRACT_NAME);
    expect(exposedToolName("p", "")).toBe("p-");
  });

  test("every output matches ^[A-Za-z0-9_-]{1,64}$ for many random inputs", () => {
    const next = random(20261125);
    // Exposed name → the full name it came from; checked in plain code and asserted once, since
    // thousands of expect() calls would make the test slow.
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const prefix = i % 3 === 0 ? "" : defaultPrefix(randomName(next, 6));
      const tool = randomName(next, 12);
      const exposed = exposedToolName(prefix, tool);
      const input = JSON.stringify([prefix, tool]);
      if (!CONTRACT_NAME.test(exposed) || !EXPOSED_NAME.test(exposed))
        problems.push(`${input} → ${JSON.stringify(exposed)} is not a valid name`);
      if (exposedToolName(prefix, tool) !== exposed) problems.push(`${input} is not stable`);
      const full = prefix ? `${prefix}-${tool}` : tool;
      const earlier = seen.get(exposed);
      if (earlier !== undefined && earlier !== full)
        problems.push(`${JSON.stringify(full)} and ${JSON.stringify(earlier)} both give ${exposed}`);
      seen.set(exposed, full);
    }
    expect(problems).toEqual([]);
    expect(seen.size).toBeGreaterThan(1_000);
  });
});

test.describe("prefixes", () => {
  test("defaultPrefix makes a server name safe and at most 40 characters", () => {
    expect(defaultPrefix("github")).toBe("github");
    expect(defaultPrefix("GitHub PR MCP (ACA)")).toBe("GitHub_PR_MCP__ACA_");
    expect(defaultPrefix("my.server")).toBe("my_server");
    expect(defaultPrefix("s".repeat(63))).toBe("s".repeat(40));
  });

  test("serverPrefix uses toolPrefix, '' for none, and the safe name when unset", () => {
    expect(serverPrefix({ name: "my.server", toolPrefix: null })).toBe("my_server");
    expect(serverPrefix({ name: "my.server", toolPrefix: "" })).toBe("");
    expect(serverPrefix({ name: "my.server", toolPrefix: "gh" })).toBe("gh");
  });
});

test.describe("findCollisions", () => {
  test("reports each exposed name that more than one (server, tool) produces, with who produces it", () => {
    const collisions = findCollisions([
      { server: "a", tool: "echo", exposed: "echo" },
      { server: "b", tool: "echo", exposed: "echo" },
      { server: "a", tool: "sum", exposed: "sum" },
      { server: "c", tool: "x", exposed: "dup" },
      { server: "d", tool: "y", exposed: "dup" },
      { server: "e", tool: "z", exposed: "dup" },
    ]);
    expect([...collisions]).toEqual([
      ["echo", ["a/echo", "b/echo"]],
      ["dup", ["c/x", "d/y", "e/z"]],
    ]);
  });

  test("is empty when every name is distinct, and for no entries", () => {
    expect(findCollisions([]).size).toBe(0);
    expect(
      findCollisions([
        { server: "a", tool: "echo", exposed: exposedToolName("a", "echo") },
        { server: "b", tool: "echo", exposed: exposedToolName("b", "echo") },
      ]).size,
    ).toBe(0);
  });

  test("two servers with an empty prefix and the same tool collide", () => {
    const entries = ["one", "two"].map((server) => ({
      server,
      tool: "echo",
      exposed: exposedToolName("", "echo"),
    }));
    expect(findCollisions(entries).get("echo")).toEqual(["one/echo", "two/echo"]);
  });
});
