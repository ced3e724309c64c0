import type { ExposedTool } from "@/lib/servers/describe";

export type ServerSaveData = { warnings: string[] };

export type ServerTestData = {
  tools: ExposedTool[];
  serverName?: string;
  ms: number;
  /** "saved": recorded on the saved server; "unsaved": the form differs from it; "new": not saved yet. */
  recorded: "saved" | "unsaved" | "new";
};
