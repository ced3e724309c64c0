import { z } from "zod";
import { MAX_EXPORT_ROWS } from "@/lib/audit/csv";
import { adminEventQuerySchema } from "@/lib/audit/list-admin-events";
import { auditQuerySchema } from "@/lib/audit/list-tool-calls";
import { retentionInputSchema } from "@/lib/audit/retention";
import { credentialValueSchema } from "@/lib/credentials/queries";
import { groupInputSchema, setActiveSchema } from "@/lib/groups/schemas";
import { createKeySchema } from "@/lib/keys/queries";
import { createRateLimitSchema, updateRateLimitSchema } from "@/lib/limits/schemas";
import { serverInputSchema } from "@/lib/servers/schemas";
import { settingsFileSchema } from "@/lib/settings/settings-file";
import { createUserSchema, updateUserSchema } from "@/lib/users/schemas";
import packageJson from "@/package.json";

type Operation = {
  summary: string;
  admin?: boolean;
  /** Answers without a key or session. */
  anonymous?: boolean;
  body?: z.ZodType;
  /** Query parameters: an object schema whose fields are the parameters. */
  query?: z.ZodType;
  status?: number;
  params?: string[];
};

/** Every REST route: the same zod schemas the handlers validate with describe their bodies. */
const routes: Record<string, Record<string, Operation>> = {
  "/api/v1/me": { get: { summary: "Who the caller is" } },
  "/api/v1/users": {
    get: { summary: "List users", admin: true },
    post: { summary: "Create a user", admin: true, body: createUserSchema, status: 201 },
  },
  "/api/v1/users/{id}": {
    patch: {
      summary: "Change a user's name, role, password or disabled flag",
      admin: true,
      body: updateUserSchema,
      params: ["id"],
    },
    delete: { summary: "Delete a user and their keys", admin: true, status: 204, params: ["id"] },
  },
  "/api/v1/users/{id}/keys": {
    get: { summary: "A user's keys (hints only)", admin: true, params: ["id"] },
    post: {
      summary: "Create a key for a user (shown once)",
      admin: true,
      body: createKeySchema,
      status: 201,
      params: ["id"],
    },
  },
  "/api/v1/users/{id}/keys/{keyId}": {
    delete: { summary: "Revoke a user's key", admin: true, status: 204, params: ["id", "keyId"] },
  },
  "/api/v1/me/keys": {
    get: { summary: "The caller's keys (hints only)" },
    post: { summary: "Create a key (shown once)", body: createKeySchema, status: 201 },
  },
  "/api/v1/me/keys/{id}": {
    delete: { summary: "Revoke one of the caller's keys", status: 204, params: ["id"] },
  },
  "/api/v1/servers": {
    get: { summary: "List servers with status and usage", admin: true },
    post: { summary: "Create a server", admin: true, body: serverInputSchema, status: 201 },
  },
  "/api/v1/servers/test": {
    post: { summary: "Validate an unsaved server and list its tools", admin: true, body: serverInputSchema },
  },
  "/api/v1/servers/{name}": {
    get: { summary: "One server with its tools and the credentials it needs", admin: true, params: ["name"] },
    patch: { summary: "Change a server (fields to change only)", admin: true, params: ["name"] },
    delete: {
      summary: "Delete a server (refused while a group uses it)",
      admin: true,
      status: 204,
      params: ["name"],
    },
  },
  "/api/v1/servers/{name}/test": {
    post: { summary: "Connect to a saved server and record its tools", admin: true, params: ["name"] },
  },
  "/api/v1/groups": {
    get: { summary: "List groups", admin: true },
    post: { summary: "Create a group", admin: true, body: groupInputSchema, status: 201 },
  },
  "/api/v1/groups/{name}": {
    get: { summary: "One group", admin: true, params: ["name"] },
    patch: { summary: "Change a group (fields to change only)", admin: true, params: ["name"] },
    delete: { summary: "Delete a group", admin: true, status: 204, params: ["name"] },
  },
  "/api/v1/groups/{name}/members/{userId}": {
    put: { summary: "Add a person to a group", admin: true, status: 204, params: ["name", "userId"] },
    delete: { summary: "Remove a person from a group", admin: true, status: 204, params: ["name", "userId"] },
  },
  "/api/v1/me/groups": { get: { summary: "Groups the caller may join, with member and active" } },
  "/api/v1/me/groups/{name}": {
    put: {
      summary: "Join a public group or switch a membership active",
      body: setActiveSchema,
      params: ["name"],
    },
    delete: { summary: "Leave a public group", status: 204, params: ["name"] },
  },
  "/api/v1/me/credentials": {
    get: { summary: "Credentials the caller's groups need: linked or not, used by which servers" },
  },
  "/api/v1/me/credentials/{name}": {
    put: {
      summary: "Set or replace one of the caller's credentials (write-only)",
      body: credentialValueSchema,
      params: ["name"],
    },
    delete: { summary: "Remove one of the caller's credentials", status: 204, params: ["name"] },
  },
  "/api/v1/settings/import": {
    post: { summary: "Import mcp_settings.json; reports each entry", admin: true, body: settingsFileSchema },
  },
  "/api/v1/settings/export": {
    get: { summary: "Export servers and groups as mcp_settings.json", admin: true },
  },
  "/api/v1/openapi.json": { get: { summary: "This OpenAPI document", anonymous: true } },
  "/api/v1/audit": {
    get: {
      summary:
        "The call log, newest first: {calls: [{id, at, user, key, server, serverId, tool, status, durationMs, errorClass, requestId, argumentBytes, resultBytes}], nextCursor}, never arguments or results. user is an id or an email; from and to are inclusive; pass nextCursor as cursor for the next page (null on the last). format=csv answers text/csv with every matching row (limit is then the page size)",
      admin: true,
      query: auditQuerySchema,
    },
  },
  "/api/v1/audit/admin-events": {
    get: {
      summary: `The administrative trail, newest first: {events: [{id, at, actor: {id, email} | null, action, targetType, targetId, targetName, details}], nextCursor}. actor is an id or an email (null actor: the hub itself); action is exact (server.update) or a prefix ending in a dot (server.); target is a name or id. format=csv answers text/csv, at most ${MAX_EXPORT_ROWS} rows per export`,
      admin: true,
      query: adminEventQuerySchema,
    },
  },
  "/api/v1/rate-limits": {
    get: {
      summary:
        "Rate limits: {rateLimits: [{id, scope, userId, userEmail, serverId, server, callsPerMinute, usage, createdAt, updatedAt}]}. scope person with userId null is the default for every person; usage is the calls of the last 60 s (null for the default)",
      admin: true,
    },
    post: {
      summary:
        "Create a rate limit: scope person (userId, or null for every person) or server (server name); 409 when that target has one",
      admin: true,
      body: createRateLimitSchema,
      status: 201,
    },
  },
  "/api/v1/rate-limits/{id}": {
    get: { summary: "One rate limit with its usage", admin: true, params: ["id"] },
    patch: {
      summary: "Change a rate limit's calls per minute (in force at once, on every instance)",
      admin: true,
      body: updateRateLimitSchema,
      params: ["id"],
    },
    delete: { summary: "Delete a rate limit", admin: true, status: 204, params: ["id"] },
  },
  "/api/v1/settings/retention": {
    get: {
      summary:
        "How many days the call log and the admin trail are kept: {days, source: env | setting | default}",
      admin: true,
    },
    put: {
      summary:
        "Set the retention in days (1-3650); refused with 409 while MCPHUB_AUDIT_RETENTION_DAYS is set",
      admin: true,
      body: retentionInputSchema,
    },
  },
};

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "openapi-3.0" });
}

function queryParameters(schema: z.ZodType) {
  const object = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: object.required?.includes(name) ?? false,
    schema: property,
  }));
}

export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(routes)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(operations)) {
      const responses: Record<string, unknown> = {
        [String(op.status ?? 200)]: { description: "Success" },
      };
      if (!op.anonymous) {
        responses["401"] = {
          description: "No or bad key/session",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        };
        responses["422"] = {
          description: "Validation failed; fields names each bad field",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        };
      }
      if (op.admin)
        responses["403"] = {
          description: "Admins only",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        };
      paths[path][method] = {
        summary: op.summary,
        ...(op.admin && { tags: ["admin"] }),
        ...(op.anonymous && { security: [] }),
        ...((op.params || op.query) && {
          parameters: [
            ...(op.params ?? []).map((name) => ({
              name,
              in: "path",
              required: true,
              schema: { type: "string" },
            })),
            ...(op.query ? queryParameters(op.query) : []),
          ],
        }),
        ...(op.body && {
          requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } },
        }),
        responses,
      };
    }
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "MCPHub REST API",
      version: packageJson.version,
      description:
        "Automation and dashboards for MCPHub. Authenticate with `Authorization: Bearer mcphub_…`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}

export const documentedRoutes = routes;
