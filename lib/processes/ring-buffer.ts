/** The last `maxBytes` of a stream, cut at line starts where possible: recent stderr for admins. */
export class RingBuffer {
  private chunks: string[] = [];
  private bytes = 0;

  constructor(
    private readonly maxBytes = 64 * 1024,
    private readonly maxLines = 200,
  ) {}

  push(text: string): void {
    this.chunks.push(text);
    this.bytes += Buffer.byteLength(text);
    while (this.bytes > this.maxBytes && this.chunks.length > 1) {
      this.bytes -= Buffer.byteLength(this.chunks.shift() ?? "");
    }
    if (this.chunks.length > 64) {
      const kept = this.text();
      this.chunks = [kept];
      this.bytes = Buffer.byteLength(kept);
    }
  }

  /** The kept text: at most maxLines lines and maxBytes bytes. */
  text(): string {
    let all = this.chunks.join("");
    if (Buffer.byteLength(all) > this.maxBytes)
      all = Buffer.from(all).subarray(-this.maxBytes).toString("utf8");
    const lines = all.split("\n");
    return lines.length > this.maxLines + 1 ? lines.slice(-(this.maxLines + 1)).join("\n") : all;
  }

  /** The last non-empty line, for error messages. */
  lastLine(): string | undefined {
    return this.text().trim().split("\n").at(-1)?.trim() || undefined;
  }
}
