/**
 * BIFF records ([MS-XLS] §2.1.4: a 2-byte type, a 2-byte size, the data) over a Workbook
 * stream held in memory, and the strings inside them, which a writer may split across
 * CONTINUE records (§2.1.7.20.1 ... §2.5.293: each continued run of characters starts with a
 * new flags byte saying whether it is 8- or 16-bit; rich-text runs and phonetic data do not).
 */
import type { VigieError } from '../../errors.js';

const CONTINUE = 0x003c;

/** One record: its type, and where its data lies in the stream. */
export interface BiffRecord {
  type: number;
  /** Offset of the record's header in the stream. */
  at: number;
  start: number;
  end: number;
}

/** The records of a stream, one after another, from an offset. */
export class Records {
  private pos: number;
  constructor(
    readonly data: Buffer,
    private readonly bad: (what: string, byte: number) => VigieError,
    from = 0,
  ) {
    this.pos = from;
  }

  /** The next record, undefined at the end of the stream. */
  next(): BiffRecord | undefined {
    const at = this.pos;
    if (at >= this.data.length) return undefined;
    if (at + 4 > this.data.length) throw this.bad(`the stream ends inside a record header (${this.data.length - at} of 4 bytes)`, at);
    const type = this.data.readUInt16LE(at);
    const size = this.data.readUInt16LE(at + 2);
    const end = at + 4 + size;
    if (end > this.data.length) {
      throw this.bad(`record 0x${hex(type)} declares ${size} bytes, past the end of the ${this.data.length}-byte stream`, at);
    }
    this.pos = end;
    return { type, at, start: at + 4, end };
  }

  /** The record and the CONTINUE records right after it, as the fragments of one. */
  withContinues(first: BiffRecord): BiffRecord[] {
    const out = [first];
    while (this.pos + 4 <= this.data.length && this.data.readUInt16LE(this.pos) === CONTINUE) {
      out.push(this.next() as BiffRecord);
    }
    return out;
  }
}

/**
 * Reads a record's data across its fragments. Past the last fragment is an error: a string
 * or a count that says more than the record holds.
 */
export class Cursor {
  private i = 0;
  private p: number;
  constructor(
    private readonly data: Buffer,
    private readonly frags: readonly BiffRecord[],
    private readonly bad: (what: string, byte: number) => VigieError,
  ) {
    this.p = (frags[0] as BiffRecord).start;
  }

  /** Where the cursor is, for messages. */
  get at(): number {
    return this.p;
  }

  /** Bytes left in the whole record. */
  remaining(): number {
    let n = this.current().end - this.p;
    for (let j = this.i + 1; j < this.frags.length; j++) n += (this.frags[j] as BiffRecord).end - (this.frags[j] as BiffRecord).start;
    return n;
  }

  u8(): number {
    this.ensure(1);
    return this.data[this.p++] as number;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() + this.u16() * 0x10000) >>> 0;
  }

  skip(n: number): void {
    let left = n;
    while (left > 0) {
      this.ensure(1);
      const take = Math.min(left, this.current().end - this.p);
      this.p += take;
      left -= take;
    }
  }

  /**
   * `cch` characters, 16-bit when `high`, else 8-bit (BIFF8: the low bytes of UTF-16, that
   * is Latin-1). Where the characters reach the end of a fragment, the next one opens with
   * the flags byte of the rest (§2.5.293 XLUnicodeRichExtendedString, "CONTINUE").
   */
  chars(cch: number, high: boolean, decode8: (b: Buffer) => string = latin1): string {
    let left = cch;
    let wide = high;
    const parts: string[] = [];
    while (left > 0) {
      if (this.p >= this.current().end) {
        this.nextFragment();
        wide = (this.u8() & 1) === 1;
        continue;
      }
      const width = wide ? 2 : 1;
      const avail = Math.floor((this.current().end - this.p) / width);
      if (avail === 0) throw this.bad('a 16-bit character is split across records', this.p);
      const take = Math.min(left, avail);
      const bytes = this.data.subarray(this.p, this.p + take * width);
      parts.push(wide ? bytes.toString('utf16le') : decode8(bytes));
      this.p += take * width;
      left -= take;
    }
    return parts.length === 1 ? (parts[0] as string) : parts.join('');
  }

  /** Bytes of 8-bit text (BIFF5), within the current fragment. */
  bytes(n: number): Buffer {
    if (this.p + n > this.current().end) throw this.bad(`a string of ${n} bytes runs past its record`, this.p);
    const b = this.data.subarray(this.p, this.p + n);
    this.p += n;
    return b;
  }

  private current(): BiffRecord {
    return this.frags[this.i] as BiffRecord;
  }

  private ensure(n: number): void {
    while (this.p + n > this.current().end) {
      if (this.p < this.current().end) throw this.bad('a value is split across records', this.p);
      this.nextFragment();
    }
  }

  private nextFragment(): void {
    if (this.i + 1 >= this.frags.length) throw this.bad('a string or count runs past the end of its record', this.p);
    this.i++;
    this.p = this.current().start;
  }
}

function latin1(b: Buffer): string {
  return b.toString('latin1');
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
