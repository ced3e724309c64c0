import { BlockList } from "node:net";
import { expect, test } from "@playwright/test";
import { allowlistEntryProblem } from "@/lib/config/env";
import { addressRefusal, guardedLookup, hostRefusal, parseAllowlist } from "@/lib/upstream/outbound";

const none = parseAllowlist(undefined);

test.describe("outbound safety (cloud metadata and link-local addresses)", () => {
  test("refuses the metadata services and link-local ranges in every spelling", () => {
    for (const host of [
      "169.254.169.254",
      "169.254.0.1",
      "100.100.100.200",
      "[fe80::1]",
      "fe80::abcd",
      "[fd00:ec2::254]",
      "::ffff:169.254.169.254",
      "[::ffff:a9fe:a9fe]",
      "metadata.google.internal",
      "METADATA.GOOGLE.INTERNAL.",
      "metadata",
    ]) {
      expect(hostRefusal(host, none), host).toMatch(/MCPHUB_OUTBOUND_ALLOW/);
    }
  });

  test("lets ordinary hosts through, private networks and loopback included", () => {
    for (const host of [
      "127.0.0.1",
      "10.0.0.5",
      "192.168.1.10",
      "[::1]",
      "mcp.example.com",
      "169.253.255.255",
    ]) {
      expect(hostRefusal(host, none), host).toBeNull();
    }
  });

  test("an admin's allowlist makes exceptions by address, range or host name", () => {
    const allow = parseAllowlist("169.254.169.254/32, fe80::/10 ,metadata.google.internal");
    expect(hostRefusal("169.254.169.254", allow)).toBeNull();
    expect(hostRefusal("169.254.169.253", allow)).toMatch(/refused/);
    expect(hostRefusal("[fe80::1]", allow)).toBeNull();
    expect(hostRefusal("metadata.google.internal", allow)).toBeNull();
    expect(addressRefusal("100.100.100.200", allow)).toMatch(/refused/);
  });

  test("allowlist entries that are not hosts, addresses or ranges are named", () => {
    expect(allowlistEntryProblem("10.0.0.0/8")).toBeNull();
    expect(allowlistEntryProblem("fe80::/10")).toBeNull();
    expect(allowlistEntryProblem("internal.example.com")).toBeNull();
    expect(allowlistEntryProblem("10.0.0.0/33")).toMatch(/not a CIDR range/);
    expect(allowlistEntryProblem("host name/8")).toMatch(/not a CIDR range/);
    expect(allowlistEntryProblem("bad host!")).toMatch(/not a host name/);
  });

  test("a name that resolves to a refused address is refused when connecting, unless allowed", async () => {
    // Pretend loopback is refused, so that `localhost` plays a name re-pointed at the metadata service.
    const refused = new BlockList();
    refused.addSubnet("127.0.0.0", 8, "ipv4");
    refused.addSubnet("::1", 128, "ipv6");
    const lookup = (allow: string | undefined, all: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) =>
        guardedLookup(() => parseAllowlist(allow), refused)("localhost", { all }, (error, address) =>
          resolve({ error, address }),
        ),
      );
    for (const all of [true, false]) {
      const refusedAnswer = await lookup(undefined, all);
      expect(refusedAnswer.error?.message).toMatch(/^localhost resolves to .* is a refused address/);
      expect((refusedAnswer.error as { code?: string }).code).toBe("EOUTBOUND_REFUSED");
      const allowed = await lookup("localhost", all);
      expect(allowed.error).toBeNull();
      if (all)
        expect(allowed.address).toEqual(
          expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
        );
      else expect(allowed.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    }
  });

  test("a metadata host name is refused before it is even looked up", async () => {
    const error = await new Promise<Error | null>((resolve) =>
      guardedLookup(() => none)("metadata.google.internal", {}, (e) => resolve(e)),
    );
    expect(error?.message).toMatch(/cloud metadata host/);
  });
});
