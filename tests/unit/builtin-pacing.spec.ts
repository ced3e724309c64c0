import { Octokit } from "@octokit/core";
import { expect, test } from "@playwright/test";
import { pace } from "@/lib/builtin/github/pacing";

/** An Octokit whose requests reach a fake fetch that answers `statuses` in turn (then 200). */
function fakeGitHub(person: string, statuses: number[] = []) {
  const seen: Array<{ method: string; path: string; at: number }> = [];
  const octokit = new Octokit({
    auth: "token-for-tests",
    baseUrl: "http://github.invalid",
    request: {
      fetch: async (url: string, init: RequestInit) => {
        seen.push({ method: init.method ?? "GET", path: new URL(url).pathname, at: Date.now() });
        const status = statuses.shift() ?? 200;
        return new Response(JSON.stringify(status === 200 ? { ok: true } : { message: `status ${status}` }), {
          status,
          headers: { "content-type": "application/json" },
        });
      },
    },
  });
  pace(octokit, person);
  return { octokit, seen };
}

test.describe("GitHub pacing per person", () => {
  test("reads are not delayed; writes are spaced 1 s, notifying writes 3 s, searches 2 s", async () => {
    const { octokit, seen } = fakeGitHub("pacing-a");
    const started = Date.now();
    await Promise.all(
      [1, 2, 3].map(() => octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" })),
    );
    expect(Date.now() - started).toBeLessThan(500);
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: "o",
      repo: "r",
      issue_number: 1,
    });
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: "o",
      repo: "r",
      issue_number: 1,
    });
    await octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "o", repo: "r", title: "a" });
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "b",
    });
    // The gaps are kept between reserved start times; timers may move an actual start by a few ms.
    const SLACK = 50;
    const writes = seen.filter((r) => r.method !== "GET").map((r) => r.at);
    expect((writes[1] ?? 0) - (writes[0] ?? 0)).toBeGreaterThanOrEqual(1_000 - SLACK);
    expect((writes[3] ?? 0) - (writes[2] ?? 0)).toBeGreaterThanOrEqual(3_000 - SLACK);
    await Promise.all(["a", "b"].map((q) => octokit.request("GET /search/code", { q })));
    const searches = seen.filter((r) => r.path === "/search/code").map((r) => r.at);
    expect(Math.abs((searches[1] ?? 0) - (searches[0] ?? 0))).toBeGreaterThanOrEqual(2_000 - SLACK);
  });

  test("another person's writes do not wait", async () => {
    const a = fakeGitHub("pacing-b");
    const b = fakeGitHub("pacing-c");
    await a.octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "o", repo: "r", title: "a" });
    const started = Date.now();
    await b.octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "o", repo: "r", title: "b" });
    expect(Date.now() - started).toBeLessThan(500);
  });

  test("reads are retried twice on server errors, never on 4xx; writes are never retried", async () => {
    const flaky = fakeGitHub("pacing-d", [502, 503]);
    await flaky.octokit.request("GET /user/repos");
    expect(flaky.seen).toHaveLength(3);

    const broken = fakeGitHub("pacing-e", [502, 502, 502]);
    await expect(broken.octokit.request("GET /user/repos")).rejects.toMatchObject({ status: 502 });
    expect(broken.seen).toHaveLength(3);

    const missing = fakeGitHub("pacing-f", [404]);
    await expect(missing.octokit.request("GET /user/repos")).rejects.toMatchObject({ status: 404 });
    expect(missing.seen).toHaveLength(1);

    const write = fakeGitHub("pacing-g", [502]);
    await expect(
      write.octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "o", repo: "r", title: "a" }),
    ).rejects.toMatchObject({ status: 502 });
    expect(write.seen).toHaveLength(1);
  });
});
