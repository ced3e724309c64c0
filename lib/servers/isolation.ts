import type { Isolation, ServerType } from "./schemas";

/** The isolation levels each server type supports (no zod here, so client forms can import it). */
export const ISOLATION_BY_TYPE: Record<ServerType, readonly Isolation[]> = {
  stdio: ["none", "process"],
  sse: ["none", "token"],
  "streamable-http": ["none", "token"],
  builtin: ["builtin"],
};
