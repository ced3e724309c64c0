import { getEnv } from "@/lib/config/env";
import { resolveSecrets } from "@/lib/config/secrets";
import { parseVaultKey, Vault } from "./vault";

export { Vault, VaultError } from "./vault";

const holder = globalThis as typeof globalThis & { __mcphubVault?: Vault };

/** The hub's vault: MCPHUB_SECRET_KEY seals, MCPHUB_SECRET_KEY_PREVIOUS (comma-separated) still opens. */
export function getVault(): Vault {
  if (holder.__mcphubVault) return holder.__mcphubVault;
  const env = getEnv();
  const previous = (env.MCPHUB_SECRET_KEY_PREVIOUS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => parseVaultKey(k, "MCPHUB_SECRET_KEY_PREVIOUS"));
  holder.__mcphubVault = new Vault(parseVaultKey(resolveSecrets(env).secretKey), previous);
  return holder.__mcphubVault;
}
