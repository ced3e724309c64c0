import { relations } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { ServerConfig } from "@/lib/servers/schemas";

export const userRole = pgEnum("user_role", ["admin", "user"]);
export type UserRole = (typeof userRole.enumValues)[number];

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Always stored lower-cased and trimmed, so lookups are exact. */
  email: text("email").notNull().unique(),
  name: text("name"),
  role: userRole("role").notNull().default("user"),
  /** argon2id hash; null for people who only sign in through GitHub or OpenID Connect. */
  passwordHash: text("password_hash"),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
export type User = typeof users.$inferSelect;

/** Links a sign-in provider's account (GitHub, OpenID Connect) to a hub user. */
export const userIdentities = pgTable(
  "user_identities",
  {
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.subject] }),
    index("user_identities_user_id_idx").on(t.userId),
  ],
);
export type UserIdentity = typeof userIdentities.$inferSelect;

/** MCPHub keys. Only the SHA-256 of a key is stored; `partialKey` is a hint such as `mcphub_…a1b2`. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    hashedKey: text("hashed_key").notNull().unique(),
    partialKey: text("partial_key").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_user_id_idx").on(t.userId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

/** Small hub-wide facts, such as the hash of the one-time setup code. */
export const hubSettings = pgTable("hub_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const serverType = pgEnum("server_type", ["stdio", "sse", "streamable-http", "builtin"]);
export const isolationLevel = pgEnum("isolation_level", ["none", "token", "process", "builtin"]);
export const riskLevel = pgEnum("risk_level", ["low", "medium", "high", "critical"]);
export const groupVisibility = pgEnum("group_visibility", ["public", "restricted"]);

/** A tool as last listed by its upstream; kept so admins and collision checks see it without connecting. */
export type ToolSnapshot = { name: string; description?: string; inputSchema?: unknown };

/** An upstream MCP server as the admin configured it. `config` holds the type-specific fields (§3). */
export const servers = pgTable("servers", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description"),
  type: serverType("type").notNull(),
  config: jsonb("config").$type<ServerConfig>().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  isolation: isolationLevel("isolation").notNull(),
  riskLevel: riskLevel("risk_level").notNull().default("medium"),
  /** null: derived from the name; "": no prefix. */
  toolPrefix: text("tool_prefix"),
  /** Bumped on every configuration change, so per-user connections and processes restart. */
  configVersion: integer("config_version").notNull().default(1),
  tools: jsonb("tools").$type<ToolSnapshot[]>(),
  toolsListedAt: timestamp("tools_listed_at", { withTimezone: true }),
  /** The MCP revision the connection that made the last listing negotiated (null for built-in servers). */
  protocolVersion: text("protocol_version"),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
export type Server = typeof servers.$inferSelect;

export const groups = pgTable("groups", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description"),
  visibility: groupVisibility("visibility").notNull().default("public"),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
export type Group = typeof groups.$inferSelect;

/** A server in a group; `tools` null exposes all of its tools, a list only those. */
export const groupServers = pgTable(
  "group_servers",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "restrict" }),
    tools: jsonb("tools").$type<string[]>(),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.serverId] }),
    index("group_servers_server_id_idx").on(t.serverId),
  ],
);
export type GroupServer = typeof groupServers.$inferSelect;

/** A person's membership; the MCP endpoint serves the union of their active memberships. */
export const groupMembers = pgTable(
  "group_members",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    active: boolean("active").notNull().default(true),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_id_idx").on(t.userId)],
);
export type GroupMember = typeof groupMembers.$inferSelect;

/**
 * One row per `tools/call`: who, with which key, which server and tool, how it ended and how long
 * it took. Never the arguments or the result, only their sizes.
 */
export const toolCalls = pgTable(
  "tool_calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    keyId: uuid("key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    serverId: uuid("server_id").references(() => servers.id, { onDelete: "set null" }),
    serverName: text("server_name").notNull(),
    tool: text("tool").notNull(),
    /**
     * ok: a result; tool_error: a result with isError; error: no result (timeout, upstream down,
     * protocol error); rate_limited: refused by a rate limit before reaching the upstream;
     * input_required: a 2026-07-28 upstream asked the client for input (its retry is another row).
     */
    status: text("status").notNull(),
    durationMs: integer("duration_ms").notNull(),
    errorClass: text("error_class"),
    requestId: text("request_id").notNull(),
    argumentBytes: integer("argument_bytes").notNull(),
    resultBytes: integer("result_bytes"),
  },
  (t) => [
    index("tool_calls_at_idx").on(t.at),
    index("tool_calls_user_id_at_idx").on(t.userId, t.at),
    index("tool_calls_server_id_at_idx").on(t.serverId, t.at),
  ],
);
export type ToolCall = typeof toolCalls.$inferSelect;

/**
 * A person's own secret for the upstreams that ask for it (`${USER_NAME}`), sealed by lib/vault
 * with the owner and name as associated data. Only the last four characters are kept readable.
 */
export const credentialSource = pgEnum("credential_source", ["manual", "github-oauth"]);

export const userCredentials = pgTable(
  "user_credentials",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    sealedValue: text("sealed_value").notNull(),
    hint: text("hint").notNull(),
    /** How the value arrived: pasted by the person, or issued by GitHub's OAuth flow (revoked there on disconnect). */
    source: credentialSource("source").notNull().default("manual"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.name] })],
);
export type UserCredential = typeof userCredentials.$inferSelect;

/**
 * One row per administrative change (servers, groups, users, keys, imports, limits, settings): who
 * made it, what it touched, and a small summary of what changed. Never a secret or a key.
 */
export const adminEvents = pgTable(
  "admin_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** Kept beside the id so the trail still names the actor after their account is deleted. */
    actorEmail: text("actor_email"),
    /** A dotted verb such as `server.create`, `group.update`, `user.disable`, `settings.import`. */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    targetName: text("target_name"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("admin_events_at_idx").on(t.at), index("admin_events_actor_id_at_idx").on(t.actorId, t.at)],
);
export type AdminEvent = typeof adminEvents.$inferSelect;

/**
 * An admin's calls-per-minute limit. `person`: every person (userId null, the default) or one
 * person (userId set), across all servers. `server`: all people together on one server.
 */
export const rateLimitScope = pgEnum("rate_limit_scope", ["person", "server"]);

export const rateLimits = pgTable(
  "rate_limits",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scope: rateLimitScope("scope").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    serverId: uuid("server_id").references(() => servers.id, { onDelete: "cascade" }),
    callsPerMinute: integer("calls_per_minute").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("rate_limits_target_key").on(t.scope, t.userId, t.serverId).nullsNotDistinct()],
);
export type RateLimit = typeof rateLimits.$inferSelect;

/**
 * Calls counted per limit and minute, shared by every instance on one database (Redis holds them
 * instead when REDIS_URL is set). Old windows are pruned.
 */
export const rateLimitWindows = pgTable(
  "rate_limit_windows",
  {
    bucket: text("bucket").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    calls: integer("calls").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);

/**
 * Which instance runs a person's isolated process of a server, so two instances on one database
 * never run two at once. Held while the process runs, renewed by a heartbeat, taken over when stale.
 */
export const processLeases = pgTable(
  "process_leases",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    instanceId: text("instance_id").notNull(),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.serverId] })],
);

export const usersRelations = relations(users, ({ many }) => ({
  identities: many(userIdentities),
  apiKeys: many(apiKeys),
  memberships: many(groupMembers),
}));
export const groupsRelations = relations(groups, ({ many }) => ({
  servers: many(groupServers),
  members: many(groupMembers),
}));
export const serversRelations = relations(servers, ({ many }) => ({ groups: many(groupServers) }));
export const groupServersRelations = relations(groupServers, ({ one }) => ({
  group: one(groups, { fields: [groupServers.groupId], references: [groups.id] }),
  server: one(servers, { fields: [groupServers.serverId], references: [servers.id] }),
}));
export const groupMembersRelations = relations(groupMembers, ({ one }) => ({
  group: one(groups, { fields: [groupMembers.groupId], references: [groups.id] }),
  user: one(users, { fields: [groupMembers.userId], references: [users.id] }),
}));
export const userIdentitiesRelations = relations(userIdentities, ({ one }) => ({
  user: one(users, { fields: [userIdentities.userId], references: [users.id] }),
}));
export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  user: one(users, { fields: [apiKeys.userId], references: [users.id] }),
}));
