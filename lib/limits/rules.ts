import type { RateLimit } from "@/lib/db/schema";

export type LimitScope = RateLimit["scope"];

/** A rule that applies to one call, and the counter it is checked against. */
export type ApplicableLimit = {
  ruleId: string;
  scope: LimitScope;
  callsPerMinute: number;
  /**
   * The counter's name: a person's calls on every server (`person:<userId>`), or everyone's calls
   * on one server (`server:<serverId>`). A person's override and the default share the person's
   * counter, so changing which rule applies keeps what they already used.
   */
  bucket: string;
  /** For the refusal message: the server's name (server scope). */
  serverName?: string;
};

type Rule = Pick<RateLimit, "id" | "scope" | "userId" | "serverId" | "callsPerMinute">;

/**
 * The limits one call is checked against: the person's own override, else the default for every
 * person (at most one of the two), and the server's limit. No rule, no counting.
 */
export function applicableLimits(
  rules: readonly Rule[],
  call: { userId: string; serverId: string; serverName: string },
): ApplicableLimit[] {
  const limits: ApplicableLimit[] = [];
  const personRules = rules.filter((rule) => rule.scope === "person");
  const person =
    personRules.find((rule) => rule.userId === call.userId) ??
    personRules.find((rule) => rule.userId === null);
  if (person)
    limits.push({
      ruleId: person.id,
      scope: "person",
      callsPerMinute: person.callsPerMinute,
      bucket: `person:${call.userId}`,
    });
  const server = rules.find((rule) => rule.scope === "server" && rule.serverId === call.serverId);
  if (server)
    limits.push({
      ruleId: server.id,
      scope: "server",
      callsPerMinute: server.callsPerMinute,
      bucket: `server:${call.serverId}`,
      serverName: call.serverName,
    });
  return limits;
}

/** The sentence a refused caller reads: which limit, and when to try again. */
export function refusalMessage(limit: ApplicableLimit, retryAfterSeconds: number): string {
  const calls = `${limit.callsPerMinute} call${limit.callsPerMinute === 1 ? "" : "s"} per minute`;
  const which =
    limit.scope === "person"
      ? `${calls} per person`
      : `${calls} on ${limit.serverName} for everyone together`;
  return `Rate limit reached: ${which}. Retry after ${retryAfterSeconds} s.`;
}
