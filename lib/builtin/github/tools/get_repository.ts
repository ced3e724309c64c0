import { z } from "zod";
import { defineTool } from "../../define";
import type { GitHub } from "../client";
import { owner, repo, repositoryLine, repositorySchema, toRepository } from "../shapes";

export default defineTool({
  name: "get_repository",
  title: "Get a repository",
  description:
    "Get one GitHub repository: description, visibility, default branch, language, stars, open issues.",
  input: z.object({ owner, repo }),
  output: z.object({ repository: repositorySchema }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo }) => `the repository ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo }) {
    const { data } = await gh.request("GET /repos/{owner}/{repo}", { owner, repo });
    const repository = toRepository(data);
    const text = [
      repositoryLine(repository),
      `Default branch: ${repository.default_branch ?? "none"}; language: ${repository.language ?? "unknown"}; ${repository.stargazers_count} stars; ${repository.open_issues_count} open issues`,
      repository.html_url ?? "",
    ]
      .filter(Boolean)
      .join("\n");
    return { text, data: { repository } };
  },
});
