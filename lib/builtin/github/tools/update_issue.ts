import { z } from "zod";
import { defineTool } from "../../define";
import type { GitHub } from "../client";
import { issueLine, issueSchema, owner, repo, toIssue } from "../shapes";

export default defineTool({
  name: "update_issue",
  title: "Update an issue",
  description:
    "Change an issue: title, body, open or close it (with a reason), replace its labels or assignees. Fields left out stay as they are.",
  input: z.object({
    owner,
    repo,
    issue_number: z.number().int().positive(),
    title: z.string().min(1).max(256).optional(),
    body: z.string().max(65_536).optional(),
    state: z.enum(["open", "closed"]).optional(),
    state_reason: z
      .enum(["completed", "not_planned", "reopened"])
      .optional()
      .describe("Why it was closed or reopened"),
    labels: z.array(z.string().min(1).max(100)).max(20).optional().describe("Replaces every label"),
    assignees: z.array(z.string().min(1).max(100)).max(10).optional().describe("Replaces every assignee"),
  }),
  output: z.object({ issue: issueSchema }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  notFound: ({ owner, repo, issue_number }) => `issue #${issue_number} in ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, issue_number, ...changes }) {
    const { data } = await gh.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner,
      repo,
      issue_number,
      ...changes,
    });
    const issue = toIssue(data, true);
    return { text: `Updated ${issueLine(issue)}\n${issue.html_url ?? ""}`.trim(), data: { issue } };
  },
});
