import { z } from "zod";
import { clip, defineTool, plural } from "../../define";
import { contentPath, type GitHub } from "../client";
import { owner, repo } from "../shapes";

const MAX_TEXT = 100_000;

export default defineTool({
  name: "get_file_contents",
  title: "Get file or folder contents",
  description:
    "Read a file from a repository (text, decoded), or list a folder's entries. Give ref for a branch, tag or commit other than the default branch.",
  input: z.object({
    owner,
    repo,
    path: z.string().max(1_024).default("").describe("Path in the repository; empty for the root folder"),
    ref: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe("Branch, tag or commit SHA (default branch when left out)"),
  }),
  output: z.object({
    type: z.enum(["file", "dir", "other"]),
    path: z.string(),
    sha: z.string().nullable(),
    size: z.number().nullable(),
    content: z.string().optional().describe("The file's text (cut at 100000 characters)"),
    truncated: z.boolean().optional(),
    binary: z.boolean().optional(),
    entries: z
      .array(z.object({ name: z.string(), path: z.string(), type: z.string(), size: z.number() }))
      .optional(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo, path, ref }) =>
    `the path "${path || "/"}" in ${owner}/${repo}${ref ? ` at ${ref}` : ""}`,
  async run(gh: GitHub, { owner, repo, path, ref }) {
    const { data } = await gh.request(
      // {+path} keeps the slashes; the types are the documented route's.
      "GET /repos/{owner}/{repo}/contents/{+path}" as "GET /repos/{owner}/{repo}/contents/{path}",
      {
        owner,
        repo,
        path: contentPath(path),
        ref,
      },
    );
    if (Array.isArray(data)) {
      const entries = data.map((e) => ({ name: e.name, path: e.path, type: e.type, size: e.size }));
      const text =
        `${owner}/${repo}:/${path} holds ${plural(entries.length, "entry", "entries")}:\n` +
        entries
          .map(
            (e) =>
              `- ${e.name}${e.type === "dir" ? "/" : ""}${e.type === "file" ? ` (${e.size} bytes)` : ""}`,
          )
          .join("\n");
      return { text, data: { type: "dir" as const, path, sha: null, size: null, entries } };
    }
    if (data.type !== "file" || !("content" in data) || typeof data.content !== "string") {
      return {
        text: `${data.path} is a ${data.type}, not a file or folder.`,
        data: { type: "other" as const, path: data.path, sha: data.sha, size: data.size },
      };
    }
    const bytes = Buffer.from(data.content, "base64");
    // A NUL byte in the first 8 KB is how git tells binary files apart as well.
    if (bytes.subarray(0, 8_192).includes(0)) {
      return {
        text: `${data.path} is a binary file of ${data.size} bytes; its content is not shown.`,
        data: { type: "file" as const, path: data.path, sha: data.sha, size: data.size, binary: true },
      };
    }
    const { text: content, truncated } = clip(bytes.toString("utf8"), MAX_TEXT);
    return {
      text: `${data.path} (${data.size} bytes, sha ${data.sha}):\n\n${content}`,
      data: { type: "file" as const, path: data.path, sha: data.sha, size: data.size, content, truncated },
    };
  },
});
