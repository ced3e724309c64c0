import { z } from "zod";
import { defineTool } from "../../define";
import type { GitHub } from "../client";
import { owner, repo } from "../shapes";

export default defineTool({
  name: "add_issue_comment",
  title: "Comment on an issue or pull request",
  description: "Add a comment to an issue or a pull request (pull requests share issue numbers).",
  input: z.object({
    owner,
    repo,
    issue_number: z.number().int().positive().describe("The issue's or pull request's number"),
    body: z.string().min(1).max(65_536).describe("The comment (Markdown)"),
  }),
  output: z.object({
    comment: z.object({
      id: z.number(),
      html_url: z.string().nullable(),
      user: z.string().nullable(),
      created_at: z.string().nullable(),
    }),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  notFound: ({ owner, repo, issue_number }) => `issue or pull request #${issue_number} in ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, issue_number, body }) {
    const { data } = await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner,
      repo,
      issue_number,
      body,
    });
    const comment = {
      id: Number(data.id),
      html_url: data.html_url ?? null,
      user: data.user?.login ?? null,
      created_at: data.created_at ?? null,
    };
    return {
      text: `Commented on #${issue_number} in ${owner}/${repo}: ${comment.html_url ?? comment.id}`,
      data: { comment },
    };
  },
});
