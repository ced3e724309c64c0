import { HUB_URL } from "../support/env";
import { apiOk, type Person } from "../support/mcp";
import {
  answerNext,
  builtinInGroup,
  callTool,
  mcpClients,
  personWithToken,
  replayRequests,
} from "../support/replay";
import { expect, test } from "../support/session";

/*
 * The built-in Notion server against the replay server: the caller's own integration token with
 * Notion-Version on every request, pages followed by cursor, Notion's errors as actionable results.
 */

const P = "notion";
const TOOLS = [
  "search",
  "get_page",
  "get_page_content",
  "create_page",
  "update_page",
  "append_blocks",
  "query_database",
  "get_database",
];
const PAGE = "59833787-2cf9-4fdf-8782-e53db20768a5";
const DATABASE = "d9824bdc-8445-4327-be8b-5b47500af6ce";

let server: string;
let alice: { person: Person; token: string };
let bob: { person: Person; token: string };
const clients = mcpClients();
const clientOf = (person: Person) => clients.of(person);

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  let group: string;
  ({ server, group } = await builtinInGroup("notion", P));
  [alice, bob] = await Promise.all([
    personWithToken(group, "NOTION_TOKEN", "alice"),
    personWithToken(group, "NOTION_TOKEN", "bob"),
  ]);
});

test.afterAll(() => clients.closeAll());

test("a built-in Notion server needs NOTION_TOKEN and lists its 8 tools with hints", async () => {
  const saved = await apiOk("GET", `/api/v1/servers/${server}`);
  expect(saved.credentials).toEqual(["NOTION_TOKEN"]);
  const { tools } = await (await clientOf(alice.person)).listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(TOOLS.map((t) => `${P}-${t}`).sort());
  const hint = (name: string) => tools.find((t) => t.name === `${P}-${name}`)?.annotations;
  for (const name of ["search", "get_page", "get_page_content", "query_database", "get_database"])
    expect(hint(name)?.readOnlyHint, name).toBe(true);
  expect(hint("update_page")?.destructiveHint).toBe(true);
  expect(hint("append_blocks")?.readOnlyHint).toBe(false);
});

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
    tool: "search",
    args: { query: "kale", filter: "page" },
    method: "POST",
    path: "/v1/search",
    body: { query: "kale", filter: { property: "object", value: "page" } },
    text: /1 result for "kale":\n- Tuscan kale \[page 59833787/,
  },
  {
    // A URL works as well as an ID.
    tool: "get_page",
    args: { page_id: `https://www.notion.so/Tuscan-kale-${PAGE.replace(/-/g, "")}` },
    method: "GET",
    path: `/v1/pages/${PAGE}`,
    text: /Tuscan kale \[page .*\nParent: database:d9824bdc-8445-4327-be8b-5b47500af6ce\n[\s\S]*Price: 2.5/,
  },
  {
    tool: "get_page_content",
    args: { page_id: PAGE.replace(/-/g, "") },
    method: "GET",
    path: `/v1/blocks/${PAGE}/children`,
    text: /## Lacinato kale\nLacinato kale is a variety[\s\S]*- Also known as Tuscan kale\n\[ \] Buy some\n▸ Recipes {2}\[nested blocks: 3c9f2f8d[\s\S]*```javascript\nconst kale = 'tuscan';\n```/,
  },
  {
    tool: "create_page",
    args: { parent_page_id: PAGE, title: "Shopping", content: "# List\n- kale\n[x] milk" },
    method: "POST",
    path: "/v1/pages",
    body: {
      parent: { page_id: PAGE },
      properties: { title: { title: [{ type: "text", text: { content: "Shopping" } }] } },
      children: [
        { type: "heading_1", heading_1: { rich_text: [{ type: "text", text: { content: "List" } }] } },
        {
          type: "bulleted_list_item",
          bulleted_list_item: { rich_text: [{ type: "text", text: { content: "kale" } }] },
        },
        { type: "to_do", to_do: { rich_text: [{ type: "text", text: { content: "milk" } }], checked: true } },
      ],
    },
    text: /Created .* with 3 blocks/,
  },
  {
    tool: "update_page",
    args: { page_id: PAGE, title: "Lacinato kale", title_property: "Name", archived: false },
    method: "PATCH",
    path: `/v1/pages/${PAGE}`,
    body: {
      properties: { Name: { title: [{ type: "text", text: { content: "Lacinato kale" } }] } },
      archived: false,
    },
    text: /Updated Lacinato kale/,
  },
  {
    tool: "append_blocks",
    args: { page_id: PAGE, content: "A new paragraph.\n\n## Notes" },
    method: "PATCH",
    path: `/v1/blocks/${PAGE}/children`,
    body: {
      children: [
        {
          type: "paragraph",
          paragraph: { rich_text: [{ type: "text", text: { content: "A new paragraph." } }] },
        },
        { type: "heading_2", heading_2: { rich_text: [{ type: "text", text: { content: "Notes" } }] } },
      ],
    },
    text: /Appended 2 blocks/,
  },
  {
    tool: "query_database",
    args: { database_id: DATABASE, filter: { property: "In stock", checkbox: { equals: true } } },
    method: "POST",
    path: `/v1/databases/${DATABASE}/query`,
    body: { filter: { property: "In stock", checkbox: { equals: true } } },
    text: /2 rows:\n- Tuscan kale \[59833787[^\n]*Price: 2.5/,
  },
  {
    tool: "get_database",
    args: { database_id: DATABASE },
    method: "GET",
    path: `/v1/databases/${DATABASE}`,
    text: /Grocery List \[database [^\n]*\n[\s\S]*- Food group: select \(🥬 Vegetable, 🍎 Fruit\)/,
  },
];

test("every tool sends the caller's own token, Notion-Version and the right request, interleaved", async () => {
  const people = [
    { ...alice, client: await clientOf(alice.person) },
    { ...bob, client: await clientOf(bob.person) },
  ];
  for (const c of CASES) {
    for (const who of people) {
      const result = await callTool(who.client, `${P}-${c.tool}`, c.args);
      expect(result.isError, `${c.tool}: ${result.text}`).toBe(false);
      expect(result.text, c.tool).toMatch(c.text);
      const last = (await replayRequests(who.token)).at(-1);
      expect(last?.authorization).toBe(`Bearer ${who.token}`);
      expect(last?.notionVersion).toBe("2022-06-28");
      expect(last?.method, c.tool).toBe(c.method);
      expect(last?.path, c.tool).toBe(c.path);
      if (c.query) expect(last?.query, c.tool).toMatchObject(c.query);
      if (c.body) expect(last?.body, c.tool).toEqual(c.body);
    }
  }
  const all = [...(await replayRequests(alice.token)), ...(await replayRequests(bob.token))];
  expect(all).toHaveLength(CASES.length * 2);
});

test("pages follow Notion's next_cursor and say there is more", async () => {
  const client = await clientOf(alice.person);
  const first = await callTool(client, `${P}-get_page_content`, { page_id: PAGE, page_size: 4 });
  expect(first.structured.blocks).toHaveLength(4);
  expect(first.structured.nextCursor).toBe("3c9f2f8d-2e2d-4a6b-81b4-4a9b8c7c6d33");
  expect(first.text).toContain('More results: call again with cursor "3c9f2f8d-2e2d-4a6b-81b4-4a9b8c7c6d33"');
  const second = await callTool(client, `${P}-get_page_content`, {
    page_id: PAGE,
    page_size: 4,
    cursor: first.structured.nextCursor,
  });
  expect(second.structured.blocks.map((b: { type: string }) => b.type)).toEqual(["toggle", "code"]);
  expect(second.structured.nextCursor).toBeUndefined();
  expect((await replayRequests(alice.token)).at(-1)?.query).toMatchObject({
    page_size: "4",
    start_cursor: "3c9f2f8d-2e2d-4a6b-81b4-4a9b8c7c6d33",
  });
  const search = await callTool(client, `${P}-search`, { page_size: 2 });
  expect(search.structured.results).toHaveLength(2);
  expect(search.structured.nextCursor).toBe(PAGE);
  const rest = await callTool(client, `${P}-search`, { page_size: 2, cursor: PAGE });
  expect(rest.structured.results.map((r: { id: string }) => r.id)).toEqual([PAGE]);
  expect((await replayRequests(alice.token)).at(-1)?.body).toMatchObject({
    start_cursor: PAGE,
    page_size: 2,
  });
});

test("Notion's errors become results a person can act on, without the token", async () => {
  const client = await clientOf(bob.person);
  const cases: Array<{ preset: string; tool: string; args: Record<string, unknown>; text: RegExp }> = [
    {
      preset: "unauthorized",
      tool: "search",
      args: {},
      text: new RegExp(
        `Notion rejected your NOTION_TOKEN \\(401: API token is invalid.\\).*relink it at ${HUB_URL}/account/connections`,
      ),
    },
    {
      preset: "not-found",
      tool: "get_page",
      args: { page_id: PAGE },
      text: /Not found in Notion: the page 59833787-.*not shared with your integration/,
    },
    {
      preset: "rate-limit",
      tool: "query_database",
      args: { database_id: DATABASE },
      text: /try again in 3 s/,
    },
    {
      preset: "validation",
      tool: "append_blocks",
      args: { page_id: PAGE, content: "x" },
      text: /Notion refused the input \(400 validation_error\): body failed validation/,
    },
    {
      preset: "restricted",
      tool: "create_page",
      args: { parent_page_id: PAGE, title: "x" },
      text: /Integration does not have insert content capabilities/,
    },
  ];
  for (const c of cases) {
    await answerNext(bob.token, { preset: c.preset }, { service: "notion" });
    const result = await callTool(client, `${P}-${c.tool}`, c.args);
    expect(result.isError, c.preset).toBe(true);
    expect(result.text, c.preset).toMatch(c.text);
    expect(result.text).not.toContain(bob.token);
  }
  const neither = await callTool(client, `${P}-create_page`, { title: "x" });
  expect(neither).toMatchObject({
    isError: true,
    text: "Give exactly one of parent_page_id and parent_database_id",
  });
});
