/**
 * One instance per hub process. Next.js bundles route handlers, pages and instrumentation.ts
 * separately, so a module can be loaded more than once in one process; state that every copy must
 * share (caches, the MCP sessions, async contexts, event buses) lives on globalThis under a name.
 */
export function processWide<T>(name: string, create: () => T): T {
  const holder = globalThis as typeof globalThis & Record<symbol, unknown>;
  const key = Symbol.for(`mcphub.${name}`);
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}
