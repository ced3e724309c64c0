import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The uid/gid each person's processes run as when the hub runs as root: allocated once, in order,
 * from MCPHUB_SANDBOX_FIRST_UID (200000) and kept in $MCPHUB_DATA_DIR/homes/.uids.json, so a
 * person keeps their uid (and the ownership of their folders) across restarts. A table rather
 * than a hash: two people can never share a uid.
 */
export function uidFor(homesDir: string, firstUid: number, userId: string): number {
  const file = path.join(homesDir, ".uids.json");
  mkdirSync(homesDir, { recursive: true, mode: 0o711 });
  let table: Record<string, number> = {};
  try {
    table = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const known = table[userId];
  if (known !== undefined) return known;
  const used = Object.values(table);
  const uid = used.length === 0 ? firstUid : Math.max(firstUid - 1, ...used) + 1;
  table[userId] = uid;
  // Written whole and renamed: a crash leaves the old table or the new one, never half of one.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(table, null, 1), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return uid;
}
