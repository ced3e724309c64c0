import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { parseVaultKey, Vault, VaultError } from "@/lib/vault/vault";

const newKey = () => parseVaultKey(randomBytes(32).toString("base64"));

test.describe("vault", () => {
  test("round trip: what is sealed for an owner and name opens for them", () => {
    const vault = new Vault(newKey());
    const sealed = vault.seal("ghp_secret-token-value", "user-a", "GITHUB_TOKEN");
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain("ghp_secret");
    expect(vault.open(sealed, "user-a", "GITHUB_TOKEN")).toBe("ghp_secret-token-value");
  });

  test("the same value sealed twice differs (fresh IV)", () => {
    const vault = new Vault(newKey());
    expect(vault.seal("x", "u", "N")).not.toBe(vault.seal("x", "u", "N"));
  });

  test("another owner or another name cannot open it", () => {
    const vault = new Vault(newKey());
    const sealed = vault.seal("token", "alice", "GITHUB_TOKEN");
    expect(() => vault.open(sealed, "bob", "GITHUB_TOKEN")).toThrow(VaultError);
    expect(() => vault.open(sealed, "alice", "NOTION_TOKEN")).toThrow(VaultError);
  });

  test("tampering with any part fails loudly, never returning plaintext", () => {
    const vault = new Vault(newKey());
    const sealed = vault.seal("token", "alice", "GITHUB_TOKEN");
    const [version, keyId, payload = ""] = sealed.split(".");
    const raw = Buffer.from(payload, "base64url");
    for (const index of [0, 13, raw.length - 1]) {
      const flipped = Buffer.from(raw);
      flipped[index] = (flipped[index] ?? 0) ^ 1;
      expect(() =>
        vault.open(`${version}.${keyId}.${flipped.toString("base64url")}`, "alice", "GITHUB_TOKEN"),
      ).toThrow(VaultError);
    }
    expect(() =>
      vault.open(`${version}.${keyId}.${raw.subarray(0, 10).toString("base64url")}`, "alice", "GITHUB_TOKEN"),
    ).toThrow(/truncated/);
    expect(() => vault.open("token", "alice", "GITHUB_TOKEN")).toThrow(/Not a sealed value/);
  });

  test("rotation: an old key still opens its values, which are then stale; unknown keys are named", () => {
    const oldKey = newKey();
    const sealedOld = new Vault(oldKey).seal("token", "alice", "GITHUB_TOKEN");
    const rotated = new Vault(newKey(), [oldKey]);
    expect(rotated.open(sealedOld, "alice", "GITHUB_TOKEN")).toBe("token");
    expect(rotated.isStale(sealedOld)).toBe(true);
    const resealed = rotated.seal("token", "alice", "GITHUB_TOKEN");
    expect(rotated.isStale(resealed)).toBe(false);
    expect(() => new Vault(newKey()).open(sealedOld, "alice", "GITHUB_TOKEN")).toThrow(
      /MCPHUB_SECRET_KEY_PREVIOUS/,
    );
  });

  test("a key of the wrong length is refused with the fix", () => {
    expect(() => parseVaultKey(randomBytes(16).toString("base64"))).toThrow(
      /32 bytes.*openssl rand -base64 32/,
    );
  });
});
