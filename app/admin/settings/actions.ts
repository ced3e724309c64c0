"use server";

import { revalidatePath } from "next/cache";
import { setRetention } from "@/lib/audit/retention";
import { adminAction, type FormState } from "@/lib/auth/actions";
import { AppError } from "@/lib/errors";
import { importSettings } from "@/lib/settings/import-settings";
import type { ImportOutcome } from "@/lib/settings/settings-file";

const MAX_FILE_BYTES = 5_000_000;

/** Imports an uploaded (or pasted) mcp_settings.json and answers with the per-entry report. */
export const importSettingsAction = adminAction(
  async (admin, _previous: FormState<ImportOutcome[]>, formData: FormData) => {
    const file = formData.get("file");
    const pasted = String(formData.get("json") ?? "");
    const text = file instanceof File && file.size > 0 ? await file.text() : pasted;
    if (!text.trim())
      throw new AppError("validation_failed", "Choose a file or paste its JSON", {
        file: ["Choose mcp_settings.json, or paste it below"],
      });
    if (Buffer.byteLength(text) > MAX_FILE_BYTES)
      throw new AppError("payload_too_large", "The file is larger than 5 MB");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError("validation_failed", "That is not valid JSON", {
        file: ["The file is not valid JSON: export it again or check it in an editor"],
      });
    }
    const outcomes = await importSettings(admin, parsed);
    revalidatePath("/admin", "layout");
    const count = (status: ImportOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
    return {
      status: "success" as const,
      message: `Imported: ${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged, ${count("refused")} refused.`,
      data: outcomes,
    };
  },
);

/** Sets how many days the call log and the admin trail are kept. */
export const setRetentionAction = adminAction(async (admin, _previous: FormState, formData: FormData) => {
  const retention = await setRetention(admin, { days: formData.get("days") });
  revalidatePath("/admin/settings");
  return {
    status: "success" as const,
    message: `The audit log keeps ${retention.days} days; older calls and changes are deleted within the hour.`,
  };
});
