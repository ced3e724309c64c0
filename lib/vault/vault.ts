import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for people's credentials. Each ciphertext is bound to its owner and credential name
 * through the associated data, so a row copied to another person or another name fails to decrypt,
 * and it names the key that sealed it, so keys can rotate:
 *
 *     v1.<key id>.<base64url(iv ‖ tag ‖ ciphertext)>
 *
 * Tampered, foreign or unreadable ciphertext throws VaultError; nothing ever falls back to plaintext.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class VaultError extends Error {
  override name = "VaultError";
}

export type VaultKey = { id: string; key: Buffer };

/** A key from its base64 form (32 bytes); its id is a short hash, safe to store beside ciphertexts. */
export function parseVaultKey(base64: string, variable = "MCPHUB_SECRET_KEY"): VaultKey {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32)
    throw new VaultError(
      `${variable} must be 32 bytes, base64-encoded (generate one with \`openssl rand -base64 32\`)`,
    );
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

export class Vault {
  private readonly byId: Map<string, VaultKey>;

  /** @param current seals everything new; @param previous still open what they sealed (rotation). */
  constructor(
    readonly current: VaultKey,
    previous: VaultKey[] = [],
  ) {
    this.byId = new Map([...previous, current].map((k) => [k.id, k]));
  }

  seal(plaintext: string, owner: string, name: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(associatedData(owner, name));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${VERSION}.${this.current.id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
  }

  open(sealed: string, owner: string, name: string): string {
    const [version, keyId, payload] = sealed.split(".");
    if (version !== VERSION || !keyId || !payload) throw new VaultError("Not a sealed value of this hub");
    const key = this.byId.get(keyId);
    if (!key)
      throw new VaultError(
        `Sealed with key ${keyId}, which is neither MCPHUB_SECRET_KEY nor in MCPHUB_SECRET_KEY_PREVIOUS`,
      );
    const raw = Buffer.from(payload, "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new VaultError("The sealed value is truncated");
    const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(owner, name));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      throw new VaultError("The sealed value was tampered with, or belongs to another owner or name");
    }
  }

  /** True when a value was sealed with an older key and should be sealed again. */
  isStale(sealed: string): boolean {
    return sealed.split(".")[1] !== this.current.id;
  }
}

function associatedData(owner: string, name: string): Buffer {
  return Buffer.from(`mcphub:credential:${owner}:${name}`, "utf8");
}
