import { z } from "zod";
import { defineTool } from "../../define";
import type { GitHub } from "../client";
import { owner, pullLine, pullSchema, repo, toPull } from "../shapes";

export default defineTool({
  name: "create_pull_request",
  title: "Create a pull request",
  description: "Open a pull request from head into base.",
  input: z.object({
    owner,
    repo,
    title: z.string().min(1).max(256),
    head: z.string().min(1).max(255).describe("The branch with the changes (user:branch for a fork)"),
    base: z.string().min(1).max(255).describe("The branch to merge into"),
    body: z.string().max(65_536).optional().describe("Description (Markdown)"),
    draft: z.boolean().optional().describe("Open it as a draft"),
    maintainer_can_modify: z.boolean().optional(),
  }),
  output: z.object({ pull_request: pullSchema }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  notFound: ({ owner, repo }) => `the repository ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, ...fields }) {
    const { data } = await gh.request("POST /repos/{owner}/{repo}/pulls", { owner, repo, ...fields });
    const pull = toPull(data, true);
    return { text: `Opened ${pullLine(pull)}\n${pull.html_url ?? ""}`.trim(), data: { pull_request: pull } };
  },
});
