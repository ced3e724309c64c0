import { hash, randomBytes, timingSafeEqual } from "node:crypto";

export const KEY_PREFIX = "mcphub_";
/** `mcphub_` and 32 random bytes in base64url (43 characters). */
const KEY_PATTERN = /^mcphub_[A-Za-z0-9_-]{43,128}$/;

export function generateKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/**
 * SHA-256 is enough for keys: they carry 256 random bits, so there is nothing to brute-force. Every
 * MCP request hashes its key: the one-shot hash() skips building a Hash object each time.
 */
export function hashKey(key: string): string {
  return hash("sha256", key, "hex");
}

/** What people see of a key after it was shown once, such as `mcphub_…x7Qa`. */
export function partialKey(key: string): string {
  return `${KEY_PREFIX}…${key.slice(-4)}`;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Compares two SHA-256 hex digests in constant time. Anything that is not a digest compares unequal:
 * Buffer.from(x, "hex") silently drops non-hex characters, so "zz" and "yy" (or "" and "") would
 * otherwise both become an empty buffer and match.
 */
export function hashesEqual(a: string, b: string): boolean {
  if (!SHA256_HEX.test(a) || !SHA256_HEX.test(b)) return false;
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
