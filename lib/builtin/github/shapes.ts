import { z } from "zod";

/*
 * What the GitHub tools return as structured content: a compact projection of GitHub's objects
 * (the fields people and models use), the same for every tool that returns that kind of object.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const login = (v: unknown): string | null => str((v as Json | null)?.login);

export const owner = z.string().min(1).max(100).describe("Account or organization that owns the repository");
export const repo = z.string().min(1).max(100).describe("Repository name, without the owner");
export const perPage = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe("How many results per page (1-100, GitHub's default 30)");
export const cursor = z
  .string()
  .regex(/^\d{1,6}$/, { error: "Use the nextCursor of an earlier answer" })
  .optional()
  .describe("nextCursor from an earlier answer, for the next page");
export { nextCursorField } from "../define";

export const repositorySchema = z.object({
  full_name: z.string(),
  description: z.string().nullable(),
  private: z.boolean(),
  html_url: z.string().nullable(),
  default_branch: z.string().nullable(),
  language: z.string().nullable(),
  stargazers_count: z.number(),
  open_issues_count: z.number(),
  updated_at: z.string().nullable(),
});
export function toRepository(input: object): z.output<typeof repositorySchema> {
  const r = input as Json;
  return {
    full_name: str(r.full_name) ?? "",
    description: str(r.description),
    private: r.private === true,
    html_url: str(r.html_url),
    default_branch: str(r.default_branch),
    language: str(r.language),
    stargazers_count: num(r.stargazers_count),
    open_issues_count: num(r.open_issues_count),
    updated_at: str(r.updated_at),
  };
}
export const repositoryLine = (r: z.output<typeof repositorySchema>) =>
  `${r.full_name}${r.private ? " (private)" : ""}${r.description ? ` - ${r.description}` : ""}`;

export const issueSchema = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  user: z.string().nullable(),
  labels: z.array(z.string()),
  assignees: z.array(z.string()),
  comments: z.number(),
  is_pull_request: z.boolean(),
  html_url: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  body: z.string().nullable().optional(),
});
export function toIssue(input: object, withBody = false): z.output<typeof issueSchema> {
  const i = input as Json;
  return {
    number: num(i.number),
    title: str(i.title) ?? "",
    state: str(i.state) ?? "",
    user: login(i.user),
    labels: (Array.isArray(i.labels) ? i.labels : [])
      .map((l) => (typeof l === "string" ? l : str((l as Json)?.name)))
      .filter((l): l is string => Boolean(l)),
    assignees: (Array.isArray(i.assignees) ? i.assignees : [])
      .map(login)
      .filter((l): l is string => Boolean(l)),
    comments: num(i.comments),
    is_pull_request: Boolean(i.pull_request),
    html_url: str(i.html_url),
    created_at: str(i.created_at),
    updated_at: str(i.updated_at),
    ...(withBody && { body: str(i.body) }),
  };
}
export const issueLine = (i: z.output<typeof issueSchema>) =>
  `#${i.number} [${i.state}] ${i.title}${i.is_pull_request ? " (pull request)" : ""}${i.user ? ` by ${i.user}` : ""}`;

export const pullSchema = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean(),
  merged: z.boolean().nullable(),
  mergeable: z.boolean().nullable(),
  user: z.string().nullable(),
  head: z.string().nullable(),
  base: z.string().nullable(),
  html_url: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  body: z.string().nullable().optional(),
  commits: z.number().optional(),
  additions: z.number().optional(),
  deletions: z.number().optional(),
  changed_files: z.number().optional(),
});
export function toPull(input: object, detailed = false): z.output<typeof pullSchema> {
  const p = input as Json;
  const ref = (side: unknown) => str((side as Json | null)?.label) ?? str((side as Json | null)?.ref);
  return {
    number: num(p.number),
    title: str(p.title) ?? "",
    state: str(p.state) ?? "",
    draft: p.draft === true,
    merged: typeof p.merged === "boolean" ? p.merged : p.merged_at ? true : null,
    mergeable: typeof p.mergeable === "boolean" ? p.mergeable : null,
    user: login(p.user),
    head: ref(p.head),
    base: ref(p.base),
    html_url: str(p.html_url),
    created_at: str(p.created_at),
    updated_at: str(p.updated_at),
    ...(detailed && {
      body: str(p.body),
      commits: num(p.commits),
      additions: num(p.additions),
      deletions: num(p.deletions),
      changed_files: num(p.changed_files),
    }),
  };
}
export const pullLine = (p: z.output<typeof pullSchema>) =>
  `#${p.number} [${p.merged ? "merged" : p.state}${p.draft ? ", draft" : ""}] ${p.title} (${p.head ?? "?"} → ${p.base ?? "?"})`;

export const commitSchema = z.object({
  sha: z.string(),
  message: z.string(),
  author: z.string().nullable(),
  date: z.string().nullable(),
  html_url: z.string().nullable(),
});
export function toCommit(input: object): z.output<typeof commitSchema> {
  const c = input as Json;
  const commit = (c.commit ?? {}) as Json;
  const author = (commit.author ?? {}) as Json;
  return {
    sha: str(c.sha) ?? "",
    message: str(commit.message) ?? "",
    author: login(c.author) ?? str(author.name),
    date: str(author.date),
    html_url: str(c.html_url),
  };
}
