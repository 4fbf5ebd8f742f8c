/**
 * The bytes of a `pg_dump -Fc` archive, read forward only: single bytes, the archive's integers
 * and strings, and payloads streamed in pieces. Every read knows its absolute offset, so that an
 * error names the byte where the archive went wrong. Nothing is ever sought: the data blocks
 * follow the table of contents, and a dump written to a pipe has no offsets anyway.
 */
import { VigieError } from '../../../errors.js';

const EMPTY = Buffer.alloc(0);

/** Integers wider than this many bytes are refused by the header (PostgreSQL writes `sizeof(int)`, 4). */
export const MAX_INT_SIZE = 8;

/** Pulls bytes from a stream on demand; holds at most one chunk plus a few bytes. */
export class ArchiveInput {
  /** What the bytes are, at the start of every message: the archive, or a tar's or directory's `toc.dat`. */
  label = 'pg_dump custom archive';
  /** What is being read, for the message of a truncation: `the table of contents`. */
  context = 'the header';
  /** Bytes of an integer after its sign byte; set from the header. */
  intSize = 4;
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Absolute offset of `buf[0]`. */
  private base = 0;
  private done = false;

  constructor(
    private readonly it: AsyncIterator<Buffer>,
    readonly file: string,
  ) {}

  /** Absolute offset of the next byte to read. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Whether the input ends here. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** One byte. @throws VigieError `VIGIE_TRUNCATED` at the end of input. */
  async byte(): Promise<number> {
    if (!(await this.fill(1))) throw this.truncated();
    return this.buf[this.pos++] ?? 0;
  }

  /**
   * An integer as `WriteInt` writes it: a sign byte (non-zero for negative), then `intSize`
   * bytes of magnitude, least significant first.
   *
   * @throws VigieError `VIGIE_TRUNCATED` at the end of input.
   */
  async int(): Promise<number> {
    const n = this.intSize;
    if (!(await this.fill(n + 1))) throw this.truncated();
    const b = this.buf;
    const sign = b[this.pos] ?? 0;
    let value = 0;
    for (let i = n; i >= 1; i--) value = value * 256 + (b[this.pos + i] ?? 0);
    this.pos += n + 1;
    return sign === 0 ? value : -value;
  }

  /**
   * A string's bytes as `WriteStr` writes them (an integer length, -1 for NULL, then the bytes),
   * kept only when at most `limit` bytes long.
   *
   * @throws VigieError `VIGIE_BAD_FORMAT` for a negative length or one over `limit`,
   * `VIGIE_TRUNCATED` at the end of input.
   */
  async str(limit: number): Promise<Buffer | null> {
    const at = this.offset;
    const len = await this.int();
    if (len === -1) return null;
    if (len < 0) throw this.bad(`negative string length ${len}`, at);
    if (len > limit) throw this.bad(`string of ${len} bytes, over the limit of ${limit}`, at);
    if (!(await this.fill(len))) throw this.truncated();
    const s = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** Reads past a string of any length without holding it; false when it was NULL. */
  async skipStr(): Promise<boolean> {
    const at = this.offset;
    const len = await this.int();
    if (len === -1) return false;
    if (len < 0) throw this.bad(`negative string length ${len}`, at);
    await this.skip(len);
    return true;
  }

  /** Reads past `n` bytes. */
  async skip(n: number): Promise<void> {
    for await (const _ of this.take(n)) {
      // Discarded: large objects, and the SQL of objects that hold no records.
    }
  }

  /** The next `n` bytes, in the pieces they arrive in (views of the input, never copied). */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill(1))) throw this.truncated();
      const k = Math.min(left, this.buf.length - this.pos);
      const piece = this.buf.subarray(this.pos, this.pos + k);
      this.pos += k;
      left -= k;
      yield piece;
    }
  }

  /** A `VIGIE_BAD_FORMAT` error at byte `at`. */
  bad(reason: string, at: number, table?: string): VigieError {
    return new VigieError('VIGIE_BAD_FORMAT', `${this.label}: ${reason}`, {
      position: { file: this.file, byte: at, ...(table === undefined ? {} : { table }) },
    });
  }

  /** The input ended inside `context`: a `VIGIE_TRUNCATED` error at the offset where it ended. */
  truncated(): VigieError {
    return new VigieError('VIGIE_TRUNCATED', `${this.label} ends inside ${this.context}`, {
      position: { file: this.file, byte: this.base + this.buf.length },
    });
  }

  /** Buffers at least `n` bytes; false when the input ends first. */
  private async fill(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.done) return false;
      const r = await this.it.next();
      if (r.done === true) {
        this.done = true;
        return false;
      }
      if (r.value.length === 0) continue;
      const rest = this.buf.subarray(this.pos);
      this.base += this.pos;
      this.pos = 0;
      // Only the few bytes of an integer or a short string straddle two chunks.
      this.buf = rest.length === 0 ? r.value : Buffer.concat([rest, r.value]);
    }
    return true;
  }
}
