import { z } from "zod";
import { clip, defineTool } from "../../define";
import type { GitHub } from "../client";
import { owner, repo } from "../shapes";

const MAX_DIFF = 200_000;

export default defineTool({
  name: "get_pull_request_diff",
  title: "Get a pull request's diff",
  description: "Get the unified diff of a pull request (cut at 200000 characters, which the answer says).",
  input: z.object({ owner, repo, pull_number: z.number().int().positive() }),
  output: z.object({ diff: z.string(), truncated: z.boolean(), files: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo, pull_number }) => `pull request #${pull_number} in ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, pull_number }) {
    const response = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number,
      mediaType: { format: "diff" },
    });
    // With the diff media type GitHub answers text, not the JSON the route's type describes.
    const raw = String(response.data as unknown);
    const files = raw.match(/^diff --git /gm)?.length ?? 0;
    const { text: diff, truncated } = clip(raw, MAX_DIFF);
    return {
      text: `Diff of ${owner}/${repo}#${pull_number} (${files} files):\n\n${diff}`,
      data: { diff, truncated, files },
    };
  },
});
