import { expect, test } from "@playwright/test";
import { Counter, escapeLabelValue, exposition, Histogram } from "@/lib/metrics/registry";

test.describe("Prometheus text exposition 0.0.4", () => {
  test("a counter with labels: HELP, TYPE, one line per label set", () => {
    const counter = new Counter("mcphub_test_total", "Calls\nby server");
    counter.inc({ server: "files", status: "ok" });
    counter.inc({ status: "ok", server: "files" }, 2);
    counter.inc({ server: "git", status: "error" });
    expect(counter.get({ server: "files", status: "ok" })).toBe(3);
    expect(exposition([counter.collect()])).toBe(
      [
        "# HELP mcphub_test_total Calls\\nby server",
        "# TYPE mcphub_test_total counter",
        'mcphub_test_total{server="files",status="ok"} 3',
        'mcphub_test_total{server="git",status="error"} 1',
        "",
      ].join("\n"),
    );
  });

  test("label sets that read alike stay apart: server names are the admin's choice", () => {
    const counter = new Counter("mcphub_apart_total", "apart");
    // Joined naively, each pair below would give one key.
    counter.inc({ server: "a", status: "b" });
    counter.inc({ server: "a\u0000status\u0000b" });
    counter.inc({ server: "a\u00001\u0000b", status: "" });
    counter.inc({ server: "", status: "" });
    counter.inc({ server: "" });
    expect(counter.collect().samples).toHaveLength(5);
    expect(counter.get({ status: "b", server: "a" })).toBe(1);
    expect(counter.get({ server: "" })).toBe(1);
  });

  test("label values escape backslash, quote and newline", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  test("a histogram writes cumulative buckets, +Inf, sum and count", () => {
    const histogram = new Histogram("mcphub_test_seconds", "Latency", [0.1, 1]);
    histogram.observe({ server: "files" }, 0.05);
    histogram.observe({ server: "files" }, 0.5);
    histogram.observe({ server: "files" }, 3);
    expect(exposition([histogram.collect()]).split("\n")).toEqual([
      "# HELP mcphub_test_seconds Latency",
      "# TYPE mcphub_test_seconds histogram",
      'mcphub_test_seconds_bucket{server="files",le="0.1"} 1',
      'mcphub_test_seconds_bucket{server="files",le="1"} 2',
      'mcphub_test_seconds_bucket{server="files",le="+Inf"} 3',
      'mcphub_test_seconds_sum{server="files"} 3.55',
      'mcphub_test_seconds_count{server="files"} 3',
      "",
    ]);
  });

  test("label sets are capped, so a bug cannot grow memory without bound", () => {
    const counter = new Counter("mcphub_capped_total", "capped");
    for (let i = 0; i < 5_100; i++) counter.inc({ server: `s${i}` });
    expect(counter.collect().samples).toHaveLength(5_000);
    expect(counter.dropped).toBe(100);
  });
});
