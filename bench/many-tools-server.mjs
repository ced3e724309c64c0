// A stdio MCP server exposing TOOL_COUNT (default 25) small tools, tool_00 … tool_NN, each with a
// short description and a one-property input schema: the tools/list benchmark puts 20 of these
// behind one group (500 tools).
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";

const count = Number(process.env.TOOL_COUNT ?? 25);
const server = new McpServer({ name: "many-tools", version: "1.0.0" });
for (let i = 0; i < count; i++) {
  const name = `tool_${String(i).padStart(2, "0")}`;
  server.registerTool(
    name,
    {
      description: `Benchmark tool ${i}: echoes its input back with a fixed prefix.`,
      inputSchema: z.object({ input: z.string().describe("Any text") }),
    },
    async ({ input }) => ({ content: [{ type: "text", text: `${name}: ${input}` }] }),
  );
}
await server.connect(new StdioServerTransport());
