import { expect, test } from "@playwright/test";
import { builtinToolSnapshot } from "@/lib/builtin";
import { contentPath, nextPage } from "@/lib/builtin/github/client";
import { describeGitHubError } from "@/lib/builtin/github/errors";
import { notionId } from "@/lib/builtin/notion/client";
import { blockText, textToBlocks } from "@/lib/builtin/notion/shapes";
import { getEnv } from "@/lib/config/env";

test.describe("built-in servers", () => {
  test("the API URLs default to the public APIs and lose a trailing slash", () => {
    expect(getEnv({} as unknown as NodeJS.ProcessEnv)).toMatchObject({
      GITHUB_API_URL: "https://api.github.com",
      NOTION_API_URL: "https://api.notion.com",
    });
    expect(
      getEnv({ GITHUB_API_URL: "https://ghe.example.com/api/v3/" } as unknown as NodeJS.ProcessEnv)
        .GITHUB_API_URL,
    ).toBe("https://ghe.example.com/api/v3");
  });

  test("GitHub's Link header gives the next page as the cursor", () => {
    const link =
      '<https://api.github.com/user/repos?per_page=2&page=3>; rel="next", <https://api.github.com/user/repos?per_page=2&page=9>; rel="last"';
    expect(nextPage(link)).toBe("3");
    expect(nextPage('<https://api.github.com/user/repos?page=1>; rel="prev"')).toBeUndefined();
    expect(nextPage(undefined)).toBeUndefined();
    expect(contentPath("docs/a b/README.md")).toBe("docs/a%20b/README.md");
  });

  test("GitHub errors name what to do, and never echo the request", () => {
    const error = (status: number, headers: Record<string, string>, data: unknown) =>
      Object.assign(new Error("HttpError"), {
        status,
        request: { headers: { authorization: "token [REDACTED]" } },
        response: { headers, data },
      });
    expect(describeGitHubError(error(404, {}, { message: "Not Found" }), "the repository a/b")).toMatch(
      /^Not found on GitHub: the repository a\/b\./,
    );
    expect(
      describeGitHubError(
        error(403, { "x-accepted-oauth-scopes": "repo, workflow", "x-oauth-scopes": "repo" }, {}),
      ),
    ).toMatch(/lacks the scope workflow \(it has repo\)/);
    const network = Object.assign(new Error("fetch failed"), {
      status: 500,
      response: undefined,
      cause: { code: "ECONNREFUSED" },
    });
    expect(describeGitHubError(network)).toBe("Could not reach GitHub: ECONNREFUSED");
  });

  test("Notion IDs are accepted with or without dashes, or as a URL", () => {
    const id = "59833787-2cf9-4fdf-8782-e53db20768a5";
    expect(notionId(id.replace(/-/g, ""))).toBe(id);
    expect(notionId(`https://www.notion.so/Tuscan-kale-${id.replace(/-/g, "")}?pvs=4`)).toBe(id);
  });

  test("text becomes Notion blocks and blocks read back as the same text", () => {
    const text = "# Title\nSome words.\n- one\n1. first\n[x] done\n> quoted\n---\n```ts\nconst a = 1;\n```";
    const blocks = textToBlocks(text);
    expect(blocks.map((b) => b.type)).toEqual([
      "heading_1",
      "paragraph",
      "bulleted_list_item",
      "numbered_list_item",
      "to_do",
      "quote",
      "divider",
      "code",
    ]);
    // The API answers rich text with plain_text; the request carries text.content.
    const answered = blocks.map((b) => {
      const body = b[b.type as string] as { rich_text?: Array<{ text: { content: string } }> };
      return {
        ...b,
        [b.type as string]: {
          ...body,
          ...(body.rich_text && {
            rich_text: body.rich_text.map((t) => ({ ...t, plain_text: t.text.content })),
          }),
        },
      };
    });
    expect(answered.map(blockText).join("\n")).toBe(text);
    const long = textToBlocks("x".repeat(4_500))[0] as { paragraph: { rich_text: unknown[] } };
    expect(long.paragraph.rich_text).toHaveLength(3);
  });

  test("the tools are listed without any token, each name valid", async () => {
    const github = await builtinToolSnapshot("github");
    const notion = await builtinToolSnapshot("notion");
    expect(github).toHaveLength(18);
    expect(notion).toHaveLength(8);
    for (const tool of [...github, ...notion]) {
      expect(tool.name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.inputSchema).toMatchObject({ type: "object" });
    }
  });
});
