import {
  type JSONRPCMessage,
  ReadBuffer,
  serializeMessage,
  type Transport,
} from "@modelcontextprotocol/client";
import type { SandboxChild } from "./spawner";

/**
 * An MCP client transport over a child the process manager already started: newline-delimited
 * JSON-RPC on its stdin and stdout, like the SDK's StdioClientTransport, except that this one
 * does not own the child. Closing it asks the manager to stop the process (`onClose`), so the
 * pool closing a connection (credential changed, configuration changed) ends the process too.
 */
export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private readonly buffer = new ReadBuffer();
  private closed = false;
  /** Request ids sent and not answered yet: a process with any is busy, not idle. */
  readonly pending = new Set<string | number>();

  constructor(
    private readonly child: SandboxChild,
    private readonly hooks: { onActivity: () => void; onClose: () => Promise<void> },
  ) {}

  async start(): Promise<void> {
    const { stdout, stdin } = this.child;
    if (!stdout || !stdin) throw new Error("the process has no stdin/stdout pipes");
    stdout.on("data", (chunk: Buffer) => {
      try {
        this.buffer.append(chunk);
        for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) {
          if ("id" in message && ("result" in message || "error" in message)) {
            this.pending.delete(message.id as string | number);
            this.hooks.onActivity();
          }
          this.onmessage?.(message);
        }
      } catch (error) {
        this.onerror?.(error as Error);
      }
    });
    stdin.on("error", (error) => this.onerror?.(error));
    this.child.once("exit", () => this.finish());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child.stdin;
    if (this.closed || !stdin || stdin.destroyed) throw new Error("the process is not running");
    if ("method" in message && "id" in message) this.pending.add(message.id as string | number);
    this.hooks.onActivity();
    await new Promise<void>((resolve, reject) => {
      const ok = stdin.write(serializeMessage(message), (error) => (error ? reject(error) : undefined));
      if (ok) resolve();
      else stdin.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.hooks.onClose();
    this.finish();
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    this.pending.clear();
    this.buffer.clear();
    this.onclose?.();
  }
}
