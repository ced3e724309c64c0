import { chmodSync, chownSync, mkdirSync } from "node:fs";
import path from "node:path";

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * The person's folder for one server, $MCPHUB_DATA_DIR/homes/<user id>/<server id> (ids, not
 * names, so a renamed server keeps its data). Both levels are 0700 and, when the hub runs as root,
 * owned by the person's uid: another person's process (another uid) cannot enter them.
 */
export function ensureHome(
  homesDir: string,
  userId: string,
  serverId: string,
  owner?: { uid: number; gid: number },
): string {
  for (const segment of [userId, serverId]) {
    if (!SAFE_SEGMENT.test(segment) || segment === "..") throw new Error(`Unsafe folder name: ${segment}`);
  }
  mkdirSync(homesDir, { recursive: true, mode: 0o711 });
  chmodSync(homesDir, 0o711);
  const personDir = path.join(homesDir, userId);
  const home = path.join(personDir, serverId);
  for (const dir of [personDir, home]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    if (owner) chownSync(dir, owner.uid, owner.gid);
  }
  return home;
}
