import { z } from "zod";
import { defineTool } from "../../define";
import { contentPath, type GitHub } from "../client";
import { owner, repo } from "../shapes";

export default defineTool({
  name: "create_or_update_file",
  title: "Create or update a file",
  description:
    "Commit one file to a branch: creates it, or replaces it when sha (the current file's blob SHA, from get_file_contents) is given.",
  input: z.object({
    owner,
    repo,
    path: z.string().min(1).max(1_024).describe("Path of the file in the repository"),
    content: z.string().max(1_000_000).describe("The file's new text"),
    message: z.string().min(1).max(65_536).describe("Commit message"),
    branch: z.string().min(1).max(255).optional().describe("Default branch when left out"),
    sha: z
      .string()
      .regex(/^[0-9a-f]{40,64}$/)
      .optional()
      .describe("Blob SHA of the file being replaced"),
  }),
  output: z.object({
    path: z.string(),
    content_sha: z.string().nullable(),
    commit_sha: z.string().nullable(),
    html_url: z.string().nullable(),
    created: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  notFound: ({ owner, repo, branch }) =>
    `the repository ${owner}/${repo}${branch ? ` or its branch ${branch}` : ""}`,
  async run(gh: GitHub, { owner, repo, path, content, message, branch, sha }) {
    const response = await gh.request(
      // {+path} keeps the slashes; the types are the documented route's.
      "PUT /repos/{owner}/{repo}/contents/{+path}" as "PUT /repos/{owner}/{repo}/contents/{path}",
      {
        owner,
        repo,
        path: contentPath(path),
        message,
        branch,
        sha,
        content: Buffer.from(content, "utf8").toString("base64"),
      },
    );
    const { data } = response;
    const result = {
      path: data.content?.path ?? path,
      content_sha: data.content?.sha ?? null,
      commit_sha: data.commit.sha ?? null,
      html_url: data.content?.html_url ?? null,
      created: response.status === 201,
    };
    return {
      text: `${result.created ? "Created" : "Updated"} ${owner}/${repo}:${result.path} in commit ${result.commit_sha ?? "?"}`,
      data: result,
    };
  },
});
