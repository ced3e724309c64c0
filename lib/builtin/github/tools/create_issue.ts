import { z } from "zod";
import { defineTool } from "../../define";
import type { GitHub } from "../client";
import { issueLine, issueSchema, owner, repo, toIssue } from "../shapes";

export default defineTool({
  name: "create_issue",
  title: "Create an issue",
  description: "Open a new issue in a repository, optionally with labels and assignees.",
  input: z.object({
    owner,
    repo,
    title: z.string().min(1).max(256).describe("The issue's title"),
    body: z.string().max(65_536).optional().describe("The issue's text (Markdown)"),
    labels: z.array(z.string().min(1).max(100)).max(20).optional(),
    assignees: z.array(z.string().min(1).max(100)).max(10).optional().describe("Logins to assign"),
  }),
  output: z.object({ issue: issueSchema }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  notFound: ({ owner, repo }) => `the repository ${owner}/${repo} (or you cannot open issues there)`,
  async run(gh: GitHub, { owner, repo, title, body, labels, assignees }) {
    const { data } = await gh.request("POST /repos/{owner}/{repo}/issues", {
      owner,
      repo,
      title,
      body,
      labels,
      assignees,
    });
    const issue = toIssue(data, true);
    return { text: `Created ${issueLine(issue)}\n${issue.html_url ?? ""}`.trim(), data: { issue } };
  },
});
