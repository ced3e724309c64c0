import { getSandbox } from "./detect";
import { readProcessSettings } from "./settings";

/** Layer name → in force, for /api/health (detected once; the details are on /admin/processes). */
export function sandboxSummary(): Record<"uid" | "namespaces" | "limits" | "cgroup", boolean> {
  const summary = { uid: false, namespaces: false, limits: false, cgroup: false };
  try {
    for (const layer of getSandbox(readProcessSettings()).layers) summary[layer.name] = layer.active;
  } catch {
    // A bad setting is reported when a process starts; health stays about the hub.
  }
  return summary;
}
