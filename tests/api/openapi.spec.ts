import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import packageJson from "@/package.json";
import { api, expectStatus } from "../support/api";

const API_DIR = path.resolve("app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/v1, as "<METHOD> <OpenAPI path>" from the folders and its exports. */
function routesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        const segments = path
          .relative(API_DIR, dir)
          .split(path.sep)
          .filter(Boolean)
          .map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}"));
        const route = ["/api/v1", ...segments].join("/");
        const source = readFileSync(full, "utf8");
        const exported = [
          ...source.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
        ].map((match) => match[1]);
        expect(exported.length, `${full} exports no handler`).toBeGreaterThan(0);
        for (const method of exported) found.push(`${method} ${route}`);
      }
    }
  };
  walk(API_DIR);
  return found.sort();
}

test.describe("/api/v1/openapi.json", () => {
  test("is an OpenAPI 3 document, served without a key", async ({ request }) => {
    const answer = await api(request, "GET", "/api/v1/openapi.json", { key: null });
    expectStatus(answer, 200);
    expect(answer.headers["content-type"]).toContain("application/json");
    const doc = answer.body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: packageJson.version });
    expect(doc.servers[0].url).toMatch(/^https?:\/\//);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);

    for (const [route, operations] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      expect(route).toMatch(/^\/api\/v1\//);
      const params = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(operations)) {
        const label = `${method.toUpperCase()} ${route}`;
        expect(METHODS as readonly string[], label).toContain(method.toUpperCase());
        expect(operation.summary, label).toEqual(expect.any(String));
        const responses = operation.responses as Record<string, { description: string }>;
        expect(Object.keys(responses).length, label).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(responses)) {
          expect(status, label).toMatch(/^[1-5]\d\d$/);
          expect(response.description, label).toEqual(expect.any(String));
        }
        const declared = ((operation.parameters as Array<{ name: string; in: string }>) ?? [])
          .filter((p) => p.in === "path")
          .map((p) => p.name);
        expect(declared, `${label} path parameters`).toEqual(params);
        const body = operation.requestBody as
          | { content: Record<string, { schema: { type?: string } }> }
          | undefined;
        if (body) expect(body.content["application/json"]?.schema, label).toBeTruthy();
      }
    }
    // Every $ref points at a schema the document defines.
    for (const [, name] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      expect(doc.components.schemas, name).toHaveProperty(name as string);
    }
  });

  test("documents every route file under app/api/v1, and nothing else", async ({ request }) => {
    const doc = (await api(request, "GET", "/api/v1/openapi.json", { key: null })).body;
    const documented = Object.entries<Record<string, unknown>>(doc.paths)
      .flatMap(([route, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`),
      )
      .sort();
    const onDisk = routesOnDisk();
    expect(onDisk.length).toBeGreaterThan(20);
    expect(onDisk).toContain("POST /api/v1/servers/{name}/test");
    expect(documented).toEqual(onDisk);
  });

  test("request bodies come from the zod schemas the routes validate with", async ({ request }) => {
    const doc = (await api(request, "GET", "/api/v1/openapi.json", { key: null })).body;
    const body = (route: string, method: string) =>
      doc.paths[route][method].requestBody.content["application/json"].schema;
    const server = body("/api/v1/servers", "post");
    const variants = JSON.stringify(server);
    for (const type of ["stdio", "sse", "streamable-http", "builtin"])
      expect(variants).toContain(`"${type}"`);
    expect(variants).toContain('"command"');
    expect(variants).toContain('"headers"');
    const key = body("/api/v1/me/keys", "post");
    expect(key.required).toEqual(["name"]);
    expect(Object.keys(key.properties).sort()).toEqual(["expiresAt", "name"]);
    const group = body("/api/v1/groups", "post");
    expect(group.properties.visibility.enum).toEqual(["public", "restricted"]);
    expect(body("/api/v1/me/groups/{name}", "put").required).toEqual(["active"]);
    // Admin-only operations say so.
    expect(doc.paths["/api/v1/servers"].post.responses).toHaveProperty("403");
    expect(doc.paths["/api/v1/me/keys"].post.responses).not.toHaveProperty("403");
  });
});
