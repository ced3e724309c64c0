import type { BuiltinTool } from "../define";
import type { GitHub } from "./client";
import addIssueComment from "./tools/add_issue_comment";
import createIssue from "./tools/create_issue";
import createOrUpdateFile from "./tools/create_or_update_file";
import createPullRequest from "./tools/create_pull_request";
import getFileContents from "./tools/get_file_contents";
import getIssue from "./tools/get_issue";
import getPullRequest from "./tools/get_pull_request";
import getPullRequestDiff from "./tools/get_pull_request_diff";
import getRepository from "./tools/get_repository";
import listBranches from "./tools/list_branches";
import listCommits from "./tools/list_commits";
import listIssues from "./tools/list_issues";
import listPullRequests from "./tools/list_pull_requests";
import listRepositories from "./tools/list_repositories";
import mergePullRequest from "./tools/merge_pull_request";
import searchCode from "./tools/search_code";
import searchRepositories from "./tools/search_repositories";
import updateIssue from "./tools/update_issue";

/** Every built-in GitHub tool, in the order clients list them. */
export const githubTools: BuiltinTool<GitHub>[] = [
  listRepositories,
  getRepository,
  searchRepositories,
  getFileContents,
  listBranches,
  listCommits,
  listIssues,
  getIssue,
  createIssue,
  updateIssue,
  addIssueComment,
  listPullRequests,
  getPullRequest,
  getPullRequestDiff,
  createPullRequest,
  mergePullRequest,
  createOrUpdateFile,
  searchCode,
];
