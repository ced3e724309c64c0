import { z } from "zod";
import { defineTool } from "../../define";
import type { GitHub } from "../client";
import { owner, repo } from "../shapes";

export default defineTool({
  name: "merge_pull_request",
  title: "Merge a pull request",
  description:
    "Merge a pull request into its base branch (merge commit, squash or rebase). Give sha to merge only if the head is still that commit.",
  input: z.object({
    owner,
    repo,
    pull_number: z.number().int().positive(),
    merge_method: z.enum(["merge", "squash", "rebase"]).optional().describe("Default merge"),
    commit_title: z.string().max(256).optional(),
    commit_message: z.string().max(65_536).optional(),
    sha: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/)
      .optional()
      .describe("Expected head SHA"),
  }),
  output: z.object({ merged: z.boolean(), sha: z.string().nullable(), message: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  notFound: ({ owner, repo, pull_number }) => `pull request #${pull_number} in ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, pull_number, ...fields }) {
    const { data } = await gh.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", {
      owner,
      repo,
      pull_number,
      ...fields,
    });
    const result = { merged: data.merged, sha: data.sha ?? null, message: data.message };
    return {
      text: result.merged
        ? `Merged ${owner}/${repo}#${pull_number} as ${result.sha}: ${result.message}`
        : `Not merged: ${result.message}`,
      data: result,
    };
  },
});
