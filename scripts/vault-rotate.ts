// npm run vault:rotate - re-seals every stored credential under the current MCPHUB_SECRET_KEY.
// Set the new key as MCPHUB_SECRET_KEY and the old one(s) in MCPHUB_SECRET_KEY_PREVIOUS first.
import { rotateCredentials } from "../lib/credentials/rotate";
import { closeDb } from "../lib/db/index";

async function main() {
  try {
    const { checked, resealed } = await rotateCredentials();
    console.log(`vault rotation: ${resealed} of ${checked} credentials re-sealed under the current key`);
    await closeDb();
  } catch (error) {
    console.error("vault rotation failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

void main();
