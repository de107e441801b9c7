/**
 * REL-4: the backup file. A gzip stream of: one JSON line (the header: format,
 * migrations, sequences), then per table a JSON line naming it and its columns,
 * its rows as Postgres's own COPY text in length-prefixed chunks (`<bytes>\n`
 * then the bytes, `0\n` to end), and a JSON line with its row count, which the
 * restore checks. COPY text is Postgres's lossless rendering of every type, so
 * the copy is exact; the count catches a truncated file.
 */
export const FORMAT = "codeplan-backup";
export const VERSION = 1;

export type Header = {
  format: typeof FORMAT;
  version: number;
  takenAt: string;
  serverVersion: string;
  /** The migrations applied on the source: the restore builds exactly this schema. */
  migrations: string[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
};
export type TableStart = { table: string; columns: string[] };
export type TableEnd = { end: string; rows: number };

/** Reads a byte stream as lines and sized blocks, without holding more than one chunk at a time. */
export class BackupReader {
  private buffer: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    return true;
  }

  /** The next line, or null at the end of the file. */
  async line(): Promise<string | null> {
    for (;;) {
      const at = this.buffer.indexOf(0x0a);
      if (at >= 0) {
        const text = this.buffer.subarray(0, at).toString("utf8");
        this.buffer = this.buffer.subarray(at + 1);
        return text;
      }
      if (!(await this.fill())) {
        if (this.buffer.length) throw new Error("the backup file ends in the middle of a line (truncated?)");
        return null;
      }
    }
  }

  async json<T>(): Promise<T> {
    const text = await this.line();
    if (text === null) throw new Error("the backup file ends early (truncated?)");
    return JSON.parse(text) as T;
  }

  /** The chunks of one table's COPY data, up to its end mark. */
  async *chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const size = Number(await this.line());
      if (!Number.isInteger(size) || size < 0) throw new Error("the backup file is damaged (a bad chunk size)");
      if (size === 0) return;
      while (this.buffer.length < size)
        if (!(await this.fill())) throw new Error("the backup file ends early (truncated?)");
      const chunk = this.buffer.subarray(0, size);
      this.buffer = this.buffer.subarray(size);
      yield chunk;
    }
  }
}
