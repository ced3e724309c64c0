import { z } from "zod";
import { clip, defineTool } from "../../define";
import type { GitHub } from "../client";
import { issueLine, issueSchema, owner, repo, toIssue } from "../shapes";

export default defineTool({
  name: "get_issue",
  title: "Get an issue",
  description: "Get one issue (or pull request, as an issue) with its body, labels and assignees.",
  input: z.object({ owner, repo, issue_number: z.number().int().positive().describe("The issue's number") }),
  output: z.object({ issue: issueSchema }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo, issue_number }) => `issue #${issue_number} in ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, issue_number }) {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
      owner,
      repo,
      issue_number,
    });
    const issue = toIssue(data, true);
    const text = [
      issueLine(issue),
      `Labels: ${issue.labels.join(", ") || "none"}; assignees: ${issue.assignees.join(", ") || "none"}; ${issue.comments} comments`,
      issue.html_url ?? "",
      issue.body ? `\n${clip(issue.body, 20_000).text}` : "",
    ]
      .filter(Boolean)
      .join("\n");
    return { text, data: { issue } };
  },
});
