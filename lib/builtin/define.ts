import type { ToolAnnotations } from "@modelcontextprotocol/server";
import { z } from "zod";

/** What a built-in tool hands back: a short text for people and the same facts as structured data. */
export type ToolOutput<T> = { text: string; data: T };

/**
 * One built-in tool: its name, its zod input and output schemas (the SDK derives the JSON Schemas
 * clients see), hints, and `run`, which gets an API client already bound to the caller's token.
 * `notFound` says what a 404 means for these arguments ("the repository octo/hello").
 */
export type ToolDefinition<Api, I extends z.ZodObject, O extends z.ZodObject> = {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  notFound?: (args: z.output<I>) => string;
  run: (api: Api, args: z.output<I>) => Promise<ToolOutput<z.output<O>>>;
};

/** A tool with its argument types erased, so tools of different shapes share one list. */
export type BuiltinTool<Api> = {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  output: z.ZodObject;
  annotations: ToolAnnotations;
  notFound: (args: Record<string, unknown>) => string | undefined;
  run: (api: Api, args: Record<string, unknown>) => Promise<ToolOutput<Record<string, unknown>>>;
};

export function defineTool<Api, I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<Api, I, O>,
): BuiltinTool<Api> {
  return {
    ...tool,
    // The SDK validated the arguments against `input` before the handler runs.
    notFound: (args) => tool.notFound?.(args as z.output<I>),
    run: (api, args) => tool.run(api, args as z.output<I>) as Promise<ToolOutput<Record<string, unknown>>>,
  };
}

/** "1 issue", "2 issues". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** The line that tells a reader (and the model) there is more, and how to get it. */
export function moreLine(nextCursor: string | undefined): string {
  return nextCursor ? `\nMore results: call again with cursor "${nextCursor}".` : "";
}

/** Cuts long text, saying so, so one tool answer cannot flood a model's context. */
export function clip(text: string, max: number): { text: string; truncated: boolean } {
  return text.length > max
    ? { text: `${text.slice(0, max)}\n… (cut at ${max} of ${text.length} characters)`, truncated: true }
    : { text, truncated: false };
}

/** The `nextCursor` of every paged tool's structured content. */
export const nextCursorField = z
  .string()
  .optional()
  .describe("Present when there are more results: pass it as cursor");
