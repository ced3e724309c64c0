import { z } from "zod";
import { clip, defineTool } from "../../define";
import type { GitHub } from "../client";
import { owner, pullLine, pullSchema, repo, toPull } from "../shapes";

export default defineTool({
  name: "get_pull_request",
  title: "Get a pull request",
  description:
    "Get one pull request: branches, state, whether it can be merged, size of the change, description.",
  input: z.object({
    owner,
    repo,
    pull_number: z.number().int().positive().describe("The pull request's number"),
  }),
  output: z.object({ pull_request: pullSchema }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo, pull_number }) => `pull request #${pull_number} in ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, pull_number }) {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number,
    });
    const pull = toPull(data, true);
    const text = [
      pullLine(pull),
      `${pull.commits ?? 0} commits, +${pull.additions ?? 0} -${pull.deletions ?? 0} in ${pull.changed_files ?? 0} files; mergeable: ${pull.mergeable === null ? "not known yet" : pull.mergeable ? "yes" : "no"}`,
      pull.html_url ?? "",
      pull.body ? `\n${clip(pull.body, 20_000).text}` : "",
    ]
      .filter(Boolean)
      .join("\n");
    return { text, data: { pull_request: pull } };
  },
});
