import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  cacheKey,
  forgetKey,
  forgetUserKeys,
  KEY_CACHE_OUTAGE_GRACE_MS,
  KEY_CACHE_TTL_MS,
  readCachedKey,
  readCachedKeyDuringOutage,
} from "@/lib/keys/cache";
import { generateKey, hashesEqual, hashKey, KEY_PREFIX, looksLikeKey, partialKey } from "@/lib/keys/format";
import { createKeySchema } from "@/lib/keys/queries";

test.describe("key format", () => {
  test("a key is mcphub_ and 43 base64url characters carrying 32 random bytes", () => {
    expect(KEY_PREFIX).toBe("mcphub_");
    const key = generateKey();
    expect(key).toMatch(/^mcphub_[A-Za-z0-9_-]{43}$/);
    const secret = key.slice(KEY_PREFIX.length);
    const bytes = Buffer.from(secret, "base64url");
    expect(bytes.length).toBeGreaterThanOrEqual(32);
    expect(bytes.toString("base64url")).toBe(secret);
    expect(looksLikeKey(key)).toBe(true);
  });

  test("keys do not repeat and use the whole alphabet", () => {
    const keys = Array.from({ length: 2_000 }, generateKey);
    expect(new Set(keys).size).toBe(keys.length);
    const characters = new Set(keys.flatMap((key) => [...key.slice(KEY_PREFIX.length)]));
    // 2000 keys × 43 characters cover all 64 base64url symbols.
    expect(characters.size).toBe(64);
  });

  test("looksLikeKey refuses anything else", () => {
    for (const value of [
      "",
      "mcphub_",
      `mcphub_${"a".repeat(42)}`,
      `MCPHUB_${"a".repeat(43)}`,
      `mcphub-${"a".repeat(43)}`,
      `mcphub_${"a".repeat(42)}=`,
      `mcphub_${"a".repeat(42)}+`,
      ` mcphub_${"a".repeat(43)}`,
      `mcphub_${"a".repeat(129)}`,
      `sk_${"a".repeat(43)}`,
    ]) {
      expect(looksLikeKey(value), JSON.stringify(value)).toBe(false);
    }
    expect(looksLikeKey(`mcphub_${"a".repeat(43)}`)).toBe(true);
  });
});

test.describe("hash", () => {
  test("is the SHA-256 of the whole key, in lower-case hex", () => {
    const key = generateKey();
    const hashed = hashKey(key);
    expect(hashed).toMatch(/^[0-9a-f]{64}$/);
    expect(hashed).toBe(createHash("sha256").update(key, "utf8").digest("hex"));
    expect(hashKey(key)).toBe(hashed);
    expect(hashKey(generateKey())).not.toBe(hashed);
    // The FIPS 180-2 test vector.
    expect(hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

test.describe("partial hint", () => {
  test("shows the prefix and the last four characters only", () => {
    const key = `mcphub_${"A".repeat(39)}x7Qa`;
    expect(partialKey(key)).toBe("mcphub_…x7Qa");
    const generated = generateKey();
    const hint = partialKey(generated);
    expect(hint).toBe(`mcphub_…${generated.slice(-4)}`);
    expect(hint).toHaveLength("mcphub_…".length + 4);
    expect(generated).not.toContain(hint);
  });
});

test.describe("hashesEqual", () => {
  test("is true for the same hash, false for any other", () => {
    const a = hashKey(generateKey());
    const b = hashKey(generateKey());
    expect(hashesEqual(a, a)).toBe(true);
    expect(hashesEqual(a, `${a}`)).toBe(true);
    expect(hashesEqual(a, b)).toBe(false);
    // Differs in the last character only.
    const last = a.endsWith("0") ? "1" : "0";
    expect(hashesEqual(a, `${a.slice(0, -1)}${last}`)).toBe(false);
  });

  test("is false for different lengths", () => {
    const a = hashKey(generateKey());
    expect(hashesEqual(a, a.slice(0, 62))).toBe(false);
    expect(hashesEqual(a, `${a}00`)).toBe(false);
    expect(hashesEqual(a, "")).toBe(false);
  });

  test("is false for anything that is not a SHA-256 hex digest, even when both sides are equally bad", () => {
    // Buffer.from(x, "hex") drops what is not hex: such inputs must not compare as equal.
    expect(hashesEqual("", "")).toBe(false);
    expect(hashesEqual("zz", "yy")).toBe(false);
    expect(hashesEqual("abc", "abd")).toBe(false);
    const a = hashKey(generateKey());
    expect(hashesEqual(`${a.slice(0, 63)}g`, `${a.slice(0, 63)}h`)).toBe(false);
    expect(hashesEqual(`${a}x`, `${a}y`)).toBe(false);
  });
});

test.describe("key cache", () => {
  const entry = (userId: string, fetchedAt: number) => ({
    keyId: "k",
    userId,
    email: `${userId}@mcphub.test`,
    role: "user" as const,
    expiresAt: null,
    fetchedAt,
  });

  test("an entry lives at most one second", () => {
    expect(KEY_CACHE_TTL_MS).toBeLessThanOrEqual(1_000);
    const hash = hashKey(generateKey());
    cacheKey(hash, entry("u1", 10_000));
    expect(readCachedKey(hash, 10_000 + KEY_CACHE_TTL_MS)?.userId).toBe("u1");
    expect(readCachedKey(hash, 10_000 + KEY_CACHE_TTL_MS + 1)).toBeUndefined();
    // Past the TTL it is kept only for a database outage, and only within the grace period.
    expect(readCachedKeyDuringOutage(hash, 10_000 + KEY_CACHE_OUTAGE_GRACE_MS)?.userId).toBe("u1");
    expect(readCachedKey(hash, 10_000 + KEY_CACHE_OUTAGE_GRACE_MS + 1)).toBeUndefined();
    // Once past the grace it is gone, also for an earlier clock reading.
    expect(readCachedKeyDuringOutage(hash, 10_000)).toBeUndefined();
  });

  test("forgetKey and forgetUserKeys drop entries at once", () => {
    const now = Date.now();
    const [one, two, other] = [generateKey(), generateKey(), generateKey()].map(hashKey) as [
      string,
      string,
      string,
    ];
    cacheKey(one, entry("user-a", now));
    cacheKey(two, entry("user-a", now));
    cacheKey(other, entry("user-b", now));
    forgetKey(one);
    expect(readCachedKey(one, now)).toBeUndefined();
    expect(readCachedKey(two, now)?.userId).toBe("user-a");
    forgetUserKeys("user-a");
    expect(readCachedKey(two, now)).toBeUndefined();
    expect(readCachedKey(other, now)?.userId).toBe("user-b");
  });
});

test.describe("createKeySchema", () => {
  test("needs a name; expiresAt is optional and must be a future date", () => {
    expect(createKeySchema.parse({ name: " laptop " })).toEqual({ name: "laptop" });
    const future = new Date(Date.now() + 86_400_000);
    expect(createKeySchema.parse({ name: "k", expiresAt: future.toISOString() }).expiresAt).toEqual(future);
    const issues = (input: unknown) =>
      createKeySchema.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({})).toEqual([["name", "Name the key"]]);
    expect(issues({ name: "" })).toEqual([
      ["name", "Name the key, for example after the client that uses it"],
    ]);
    expect(issues({ name: "k", expiresAt: "2001-01-01" })).toEqual([
      ["expiresAt", "expiresAt must be in the future"],
    ]);
    expect(issues({ name: "k", expiresAt: "not-a-date" })).toEqual([
      ["expiresAt", "expiresAt must be a date, such as 2027-01-31"],
    ]);
  });
});
