import { expect, test } from "@playwright/test";
import { describeError } from "@/lib/upstream/probe";

const withCode = (message: string, code: unknown, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

test.describe("describeError (Test connection messages)", () => {
  test("names network failures found in the cause chain", () => {
    const refused = new Error("fetch failed", {
      cause: withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"),
    });
    expect(describeError(refused)).toBe(
      "Connection refused: is the server running at that address and port?",
    );
    const dns = new Error("outer", {
      cause: new Error("fetch failed", { cause: withCode("x", "ENOTFOUND") }),
    });
    expect(describeError(dns)).toBe("The host name does not resolve: check the URL");
    expect(describeError(withCode("x", "ECONNRESET"))).toBe(
      "The server closed the connection while answering",
    );
    expect(describeError(withCode("x", "CERT_HAS_EXPIRED"))).toBe(
      "The TLS handshake failed (CERT_HAS_EXPIRED): check the certificate",
    );
  });

  test("reads network codes from the text when a transport kept only the message (SSE)", () => {
    // The SSE transport's error: a numeric (or no) code, and the network error as text.
    const dns = withCode(
      "SSE error: TypeError: fetch failed: getaddrinfo ENOTFOUND no-such-host.invalid",
      undefined,
    );
    expect(describeError(dns)).toBe("The host name does not resolve: check the URL");
    const refused = withCode(
      "SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:3798",
      undefined,
    );
    expect(describeError(refused)).toBe(
      "Connection refused: is the server running at that address and port?",
    );
  });

  test("a numeric code does not break the description", () => {
    const notFound = withCode("SSE error: Non-200 status code (404)", 404);
    expect(describeError(notFound)).toBe("SSE error: Non-200 status code (404)");
    expect(describeError(withCode("JSON-RPC error", -32601))).toBe("JSON-RPC error");
  });

  test("an HTTP error names its status", () => {
    const http = withCode("Error POSTing to endpoint: not here", "CLIENT_HTTP_NOT_IMPLEMENTED", {
      status: 404,
      statusText: "Not Found",
    });
    expect(describeError(http)).toBe(
      "The server answered HTTP 404 Not Found: Error POSTing to endpoint: not here",
    );
    const mentioned = withCode("Error POSTing to endpoint (HTTP 500): boom", undefined, { status: 500 });
    expect(describeError(mentioned)).toBe("Error POSTing to endpoint (HTTP 500): boom");
  });

  test("spawn failures are named only from a real error code, not from an upstream's text", () => {
    expect(describeError(withCode("spawn nope ENOENT", "ENOENT"))).toMatch(/^The command was not found/);
    expect(describeError(withCode("spawn ./x EACCES", "EACCES"))).toBe(
      "The command is not executable by the hub",
    );
    // An upstream that failed to read its own file is not a missing command.
    expect(
      describeError(new Error("MCP error -32603: ENOENT: no such file or directory, open 'config.json'")),
    ).toBe("MCP error -32603: ENOENT: no such file or directory, open 'config.json'");
  });

  test("other errors keep their message and their cause's", () => {
    expect(describeError(new Error("initialize timed out after 10000 ms"))).toBe(
      "initialize timed out after 10000 ms",
    );
    expect(describeError(new Error("outer", { cause: new Error("inner") }))).toBe("outer: inner");
    expect(describeError("plain text")).toBe("plain text");
  });
});
