import { HUB_URL } from "../support/env";
import { apiOk, type Person } from "../support/mcp";
import {
  answerNext,
  builtinInGroup,
  callTool,
  linkCredential,
  mcpClients,
  personWithToken,
  replayRequests,
} from "../support/replay";
import { expect, test } from "../support/session";

/*
 * The built-in GitHub server against the replay server (tests/fixtures/replay): every tool sends the
 * caller's own token with the right request, pages are never dropped silently, and GitHub's errors
 * come back as results a person can act on.
 */

const P = "gh";
const READ_ONLY = [
  "list_repositories",
  "get_repository",
  "search_repositories",
  "get_file_contents",
  "list_branches",
  "list_commits",
  "list_issues",
  "get_issue",
  "list_pull_requests",
  "get_pull_request",
  "get_pull_request_diff",
  "search_code",
];
const WRITES = [
  "create_issue",
  "update_issue",
  "add_issue_comment",
  "create_pull_request",
  "merge_pull_request",
  "create_or_update_file",
];

let server: string;
let group: string;
let alice: { person: Person; token: string };
let bob: { person: Person; token: string };
let carol: { person: Person; token: string };
const clients = mcpClients();
const clientOf = (person: Person) => clients.of(person);

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  ({ server, group } = await builtinInGroup("github", P));
  [alice, bob, carol] = await Promise.all([
    personWithToken(group, "GITHUB_TOKEN", "alice"),
    personWithToken(group, "GITHUB_TOKEN", "bob"),
    personWithToken(group, "GITHUB_TOKEN", "carol", false),
  ]);
});

test.afterAll(() => clients.closeAll());

test("a built-in GitHub server records its 18 tools when saved and needs each person's GITHUB_TOKEN", async () => {
  const saved = await apiOk("GET", `/api/v1/servers/${server}`);
  expect(saved.credentials).toEqual(["GITHUB_TOKEN"]);
  expect(saved.isolation).toBe("builtin");
  expect((saved.tools as Array<{ name: string }>).map((t) => t.name).sort()).toEqual(
    [...READ_ONLY, ...WRITES].sort(),
  );
  const credentials = await apiOk("GET", "/api/v1/me/credentials", { key: carol.person.key });
  expect(credentials).toContainEqual(
    expect.objectContaining({ name: "GITHUB_TOKEN", linked: false, usedBy: [server] }),
  );
});

test("tools carry schemas, output schemas and hints", async () => {
  const { tools } = await (await clientOf(alice.person)).listTools();
  const byName = new Map(tools.map((t) => [t.name, t]));
  expect([...byName.keys()].sort()).toEqual([...READ_ONLY, ...WRITES].map((t) => `${P}-${t}`).sort());
  for (const name of READ_ONLY)
    expect(byName.get(`${P}-${name}`)?.annotations?.readOnlyHint, name).toBe(true);
  for (const name of WRITES) expect(byName.get(`${P}-${name}`)?.annotations?.readOnlyHint, name).toBe(false);
  expect(byName.get(`${P}-merge_pull_request`)?.annotations?.destructiveHint).toBe(true);
  expect(byName.get(`${P}-create_or_update_file`)?.annotations?.destructiveHint).toBe(true);
  expect(byName.get(`${P}-create_issue`)?.annotations?.destructiveHint).toBe(false);
  const search = byName.get(`${P}-search_repositories`);
  expect(search?.inputSchema.required).toEqual(["query"]);
  expect(
    (search?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.cursor
      ?.description,
  ).toMatch(/nextCursor/);
  expect(search?.outputSchema?.properties).toHaveProperty("nextCursor");
  for (const tool of tools) expect(tool.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
});

const o = { owner: "octocat", repo: "Hello-World" };
const R = "/repos/octocat/Hello-World";
type Case = {
  tool: string;
  args: Record<string, unknown>;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  text: RegExp;
};
const CASES: Case[] = [
  {
    tool: "list_repositories",
    args: {},
    method: "GET",
    path: "/user/repos",
    text: /3 repositories:\n- octocat\/Hello-World/,
  },
  {
    tool: "list_repositories",
    args: { owner: "octocat", sort: "updated", per_page: 5 },
    method: "GET",
    path: "/users/octocat/repos",
    query: { sort: "updated", per_page: "5" },
    text: /2 repositories of octocat/,
  },
  {
    tool: "get_repository",
    args: o,
    method: "GET",
    path: R,
    text: /octocat\/Hello-World - This your first repo!/,
  },
  {
    tool: "search_repositories",
    args: { query: "hello language:javascript", sort: "stars" },
    method: "GET",
    path: "/search/repositories",
    query: { q: "hello language:javascript", sort: "stars" },
    text: /40 repositories match/,
  },
  {
    tool: "get_file_contents",
    args: { ...o, path: "README.md", ref: "main" },
    method: "GET",
    path: `${R}/contents/README.md`,
    query: { ref: "main" },
    text: /My first repository on GitHub!/,
  },
  {
    tool: "list_branches",
    args: o,
    method: "GET",
    path: `${R}/branches`,
    text: /master \(c5b97d5\) protected/,
  },
  {
    tool: "list_commits",
    args: { ...o, sha: "master", path: "README" },
    method: "GET",
    path: `${R}/commits`,
    query: { sha: "master", path: "README" },
    text: /7fd1a60 Merge pull request #6/,
  },
  {
    tool: "list_issues",
    args: { ...o, state: "open", labels: ["bug", "ui"] },
    method: "GET",
    path: `${R}/issues`,
    query: { state: "open", labels: "bug,ui" },
    text: /#1348 \[open\] Amazing new feature \(pull request\)/,
  },
  {
    tool: "get_issue",
    args: { ...o, issue_number: 1347 },
    method: "GET",
    path: `${R}/issues/1347`,
    text: /#1347 \[open\] Found a bug/,
  },
  {
    tool: "create_issue",
    args: { ...o, title: "Crash on start", body: "Steps…", labels: ["bug"] },
    method: "POST",
    path: `${R}/issues`,
    body: { title: "Crash on start", body: "Steps…", labels: ["bug"] },
    text: /Created #1347 \[open\] Crash on start/,
  },
  {
    tool: "update_issue",
    args: { ...o, issue_number: 1347, state: "closed", state_reason: "completed" },
    method: "PATCH",
    path: `${R}/issues/1347`,
    body: { state: "closed", state_reason: "completed" },
    text: /Updated #1347 \[closed\]/,
  },
  {
    tool: "add_issue_comment",
    args: { ...o, issue_number: 1347, body: "Me too" },
    method: "POST",
    path: `${R}/issues/1347/comments`,
    body: { body: "Me too" },
    text: /Commented on #1347/,
  },
  {
    tool: "list_pull_requests",
    args: { ...o, state: "all", base: "master" },
    method: "GET",
    path: `${R}/pulls`,
    query: { state: "all", base: "master" },
    text: /#1347 \[open\] Amazing new feature \(octocat:new-topic → octocat:master\)/,
  },
  {
    tool: "get_pull_request",
    args: { ...o, pull_number: 1347 },
    method: "GET",
    path: `${R}/pulls/1347`,
    text: /3 commits, \+100 -3 in 5 files; mergeable: yes/,
  },
  {
    tool: "get_pull_request_diff",
    args: { ...o, pull_number: 1347 },
    method: "GET",
    path: `${R}/pulls/1347`,
    text: /\(2 files\):\n\ndiff --git a\/README b\/README/,
  },
  {
    tool: "create_pull_request",
    args: { ...o, title: "Add notes", head: "new-topic", base: "master", draft: true },
    method: "POST",
    path: `${R}/pulls`,
    body: { title: "Add notes", head: "new-topic", base: "master", draft: true },
    text: /Opened #1347/,
  },
  {
    tool: "merge_pull_request",
    args: { ...o, pull_number: 1347, merge_method: "squash" },
    method: "PUT",
    path: `${R}/pulls/1347/merge`,
    body: { merge_method: "squash" },
    text: /Merged octocat\/Hello-World#1347 as 6dcb09b/,
  },
  {
    tool: "create_or_update_file",
    args: { ...o, path: "notes/hello.txt", content: "Hello MCP\n", message: "Add notes", branch: "main" },
    method: "PUT",
    path: `${R}/contents/notes/hello.txt`,
    body: { message: "Add notes", branch: "main", content: Buffer.from("Hello MCP\n").toString("base64") },
    text: /Created octocat\/Hello-World:notes\/hello.txt in commit 7638417/,
  },
  {
    tool: "search_code",
    args: { query: "addClass repo:jquery/jquery" },
    method: "GET",
    path: "/search/code",
    query: { q: "addClass repo:jquery/jquery" },
    text: /jquery\/jquery:src\/attributes\/classes.js/,
  },
];

test("every tool sends the caller's own token and the right request, two people interleaved", async () => {
  // GitHub asks clients to space writes (1 s, 3 s for those that notify) and searches (2 s) per token.
  test.setTimeout(150_000);
  const people = [
    { ...alice, client: await clientOf(alice.person) },
    { ...bob, client: await clientOf(bob.person) },
  ];
  const seen = new Map<string, number>(people.map((p) => [p.token, 0]));
  for (const c of CASES) {
    for (const who of people) {
      const result = await callTool(who.client, `${P}-${c.tool}`, c.args);
      expect(result.isError, `${c.tool}: ${result.text}`).toBe(false);
      expect(result.text, c.tool).toMatch(c.text);
      expect(result.structured, c.tool).toBeTruthy();
      const requests = await replayRequests(who.token);
      // Exactly one new request per call, carrying this person's token and nobody else's.
      expect(requests.length, c.tool).toBe((seen.get(who.token) ?? 0) + 1);
      seen.set(who.token, requests.length);
      const last = requests.at(-1);
      expect(last?.authorization).toBe(`token ${who.token}`);
      expect(last?.method, c.tool).toBe(c.method);
      expect(last?.path, c.tool).toBe(c.path);
      if (c.query) expect(last?.query, c.tool).toMatchObject(c.query);
      if (c.body) expect(last?.body, c.tool).toMatchObject(c.body);
      expect(last?.userAgent).toMatch(/^mcphub\//);
      expect(last?.githubApiVersion).toBe("2022-11-28");
      if (c.tool === "get_pull_request_diff") expect(last?.accept).toContain("diff");
    }
  }
  const other = await replayRequests(carol.token);
  expect(other).toEqual([]);
});

test("structured content matches the text", async () => {
  const client = await clientOf(alice.person);
  const repo = await callTool(client, `${P}-get_repository`, o);
  expect(repo.structured.repository).toMatchObject({
    full_name: "octocat/Hello-World",
    private: false,
    default_branch: "master",
    open_issues_count: 1,
  });
  const file = await callTool(client, `${P}-get_file_contents`, { ...o, path: "src" });
  expect(file.structured.type).toBe("dir");
  expect(file.structured.entries).toEqual([
    { name: "README.md", path: "README.md", type: "file", size: 48 },
    { name: "src", path: "src", type: "dir", size: 0 },
  ]);
});

test("pages: the answer says there is more and the cursor fetches the next page", async () => {
  const client = await clientOf(alice.person);
  const first = await callTool(client, `${P}-list_repositories`, { per_page: 2 });
  expect(first.structured.repositories).toHaveLength(2);
  expect(first.structured.nextCursor).toBe("2");
  expect(first.text).toContain('More results: call again with cursor "2"');
  const second = await callTool(client, `${P}-list_repositories`, { per_page: 2, cursor: "2" });
  expect(second.structured.repositories.map((r: { full_name: string }) => r.full_name)).toEqual([
    "octocat/octo-private",
  ]);
  expect(second.structured.nextCursor).toBeUndefined();
  expect(second.text).not.toContain("More results");
  const last = (await replayRequests(alice.token)).at(-1);
  expect(last?.query).toMatchObject({ page: "2", per_page: "2" });

  const search = await callTool(client, `${P}-search_code`, { query: "x", per_page: 1 });
  expect(search.structured.nextCursor).toBeUndefined();
  const issues = await callTool(client, `${P}-list_issues`, { ...o, per_page: 1 });
  expect(issues.structured.nextCursor).toBe("2");
  expect(issues.text).toContain("More results");
});

test("GitHub's errors become results a person can act on, without the token", async () => {
  const client = await clientOf(bob.person);
  const relink = `${HUB_URL}/account/connections`;
  const cases: Array<{ preset: string; tool: string; args: Record<string, unknown>; text: RegExp }> = [
    {
      preset: "unauthorized",
      tool: "list_repositories",
      args: {},
      text: /GitHub rejected your GITHUB_TOKEN \(401: Bad credentials\).*relink it at/,
    },
    {
      preset: "missing-scope",
      tool: "create_issue",
      args: { ...o, title: "x" },
      text: /403: Resource not accessible by personal access token\): the token lacks the scope repo \(it has read:user\); relink it at/,
    },
    {
      preset: "not-found",
      tool: "get_repository",
      args: { owner: "octocat", repo: "nope" },
      text: /Not found on GitHub: the repository octocat\/nope\./,
    },
    {
      preset: "not-found",
      tool: "get_issue",
      args: { ...o, issue_number: 99999 },
      text: /Not found on GitHub: issue #99999 in octocat\/Hello-World/,
    },
    {
      preset: "validation",
      tool: "create_issue",
      args: { ...o, title: "x", labels: ["nope"] },
      text: /GitHub refused the input \(422 Validation Failed\): Issue title missing_field; Label does not exist: nope/,
    },
    {
      preset: "rate-limit",
      tool: "list_issues",
      args: o,
      text: /rate limit for your token is used up \(5000 requests per hour\); it resets in 30 minutes \(at \d{4}-\d\d-\d\dT/,
    },
    {
      preset: "secondary-rate-limit",
      tool: "search_code",
      args: { query: "x" },
      text: /secondary rate limit\): try again in 37 s/,
    },
  ];
  for (const c of cases) {
    await answerNext(bob.token, { preset: c.preset }, { service: "github" });
    const before = (await replayRequests(bob.token)).length;
    const result = await callTool(client, `${P}-${c.tool}`, c.args);
    expect(result.isError, c.preset).toBe(true);
    expect(result.text, c.preset).toMatch(c.text);
    if (c.preset === "unauthorized" || c.preset === "missing-scope") expect(result.text).toContain(relink);
    expect(result.text).not.toContain(bob.token);
    // A 4xx is answered at once: no retry reached GitHub.
    expect((await replayRequests(bob.token)).length, c.preset).toBe(before + 1);
  }
  // Server errors are retried; after the retries the person learns what GitHub said.
  await answerNext(bob.token, { preset: "server-error" }, { service: "github", times: 3 });
  const failed = await callTool(client, `${P}-get_repository`, o);
  expect(failed.isError).toBe(true);
  expect(failed.text).toContain("GitHub answered 502: Server Error");
  // The connection still works afterwards.
  expect((await callTool(client, `${P}-get_repository`, o)).isError).toBe(false);
});

test("invalid arguments are refused before anything reaches GitHub", async () => {
  const client = await clientOf(alice.person);
  const before = (await replayRequests(alice.token)).length;
  const result = await client
    .callTool({ name: `${P}-get_issue`, arguments: { ...o, issue_number: "one" } })
    .then((r) => ({ isError: r.isError === true, text: JSON.stringify(r.content) }))
    .catch((error: Error) => ({ isError: true, text: error.message }));
  expect(result.isError).toBe(true);
  expect(result.text).toMatch(/issue_number/);
  expect((await replayRequests(alice.token)).length).toBe(before);
});

test("without a linked token the tools are listed with the linking message, and calls answer with it", async () => {
  const client = await clientOf(carol.person);
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([...READ_ONLY, ...WRITES].map((t) => `${P}-${t}`).sort());
  const link = `Needs your GITHUB_TOKEN: link it at ${HUB_URL}/account/connections`;
  for (const tool of tools) expect(tool.description).toContain(link);
  const result = await callTool(client, `${P}-list_repositories`);
  expect(result).toMatchObject({ isError: true, text: `${server}: ${link}` });

  // Once linked, the same person's calls go out with it, at once.
  await linkCredential(carol.person, "GITHUB_TOKEN", carol.token);
  const linked = await callTool(client, `${P}-list_repositories`);
  expect(linked.isError, linked.text).toBe(false);
  expect((await replayRequests(carol.token)).map((r) => r.authorization)).toEqual([`token ${carol.token}`]);
});

test("a replaced token is used from the next call on", async () => {
  const client = await clientOf(bob.person);
  await callTool(client, `${P}-get_repository`, o);
  const replacement = `${bob.token}-rotated`;
  await linkCredential(bob.person, "GITHUB_TOKEN", replacement);
  await callTool(client, `${P}-get_repository`, o);
  const requests = await replayRequests(replacement);
  expect(requests.map((r) => r.authorization)).toEqual([`token ${replacement}`]);
  bob.token = replacement;
});

test("a group can expose only the read-only GitHub tools", async () => {
  const readOnly = READ_ONLY.slice(0, 5);
  const { group: limited } = await builtinInGroup("github", "ghro", readOnly);
  const dave = await personWithToken(limited, "GITHUB_TOKEN", "dave");
  const client = await clients.of(dave.person, `/api/mcp/${limited}`);
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(readOnly.map((t) => `ghro-${t}`).sort());
  expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  const refused = await client
    .callTool({ name: "ghro-create_issue", arguments: { ...o, title: "x" } })
    .then(() => "answered")
    .catch((error: Error) => error.message);
  expect(refused).toContain("Unknown tool: ghro-create_issue");
  expect((await replayRequests(dave.token)).length).toBe(0);
  const allowed = await callTool(client, "ghro-get_repository", o);
  expect(allowed.isError).toBe(false);
});

test("calls are in the audit log like any other server's", async () => {
  const audit = await apiOk("GET", `/api/v1/audit?server=${server}&user=${alice.person.id}&limit=200`);
  const rows = audit.calls as Array<{ tool: string; status: string }>;
  expect(rows.some((r) => r.tool === "merge_pull_request" && r.status === "ok")).toBe(true);
});
