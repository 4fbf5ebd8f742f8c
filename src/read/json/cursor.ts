/**
 * A pull cursor over decoded text chunks, shared by the JSON readers.
 *
 * It holds one string buffer; `fill()` appends the next chunk and drops the text before
 * `keep` (the start of the value being read), so memory stays bounded by the longest value
 * kept (callers cap that with `maxRecordChars`). Newlines in dropped text are counted so a
 * line number can still be given for any position still in the buffer.
 */
export class Cursor {
  /** Buffered text; `buf[pos]` is the next unread character. */
  buf = '';
  pos = 0;
  /** No text before this index may be dropped by `fill()` (a value being read starts here). */
  keep = Number.POSITIVE_INFINITY;
  /** True once the source is exhausted: `buf` then holds all that is left. */
  eof = false;
  /** Characters dropped from the front of `buf` by the last `fill()`: held indices shift by it. */
  lastDrop = 0;
  /** 1-based line number of `buf[0]`. */
  private lineBase = 1;
  private readonly it: AsyncIterator<string>;

  constructor(text: AsyncIterable<string>) {
    this.it = text[Symbol.asyncIterator]();
  }

  /**
   * Appends the next non-empty chunk, dropping the text before `min(pos, keep)`. Returns
   * false at end of input. Indices held by the caller shift down by `lastDrop`.
   */
  async fill(): Promise<boolean> {
    this.lastDrop = 0;
    for (;;) {
      if (this.eof) return false;
      const r = await this.it.next();
      if (r.done === true) {
        this.eof = true;
        return false;
      }
      if (r.value.length === 0) continue;
      const drop = Math.min(this.pos, this.keep);
      const added = await this.gather(r.value, (this.buf.length - drop) / 2);
      if (drop > 0) {
        this.lineBase += countNewlines(this.buf, 0, drop);
        this.buf = this.buf.slice(drop) + added;
        this.pos -= drop;
        if (this.keep !== Number.POSITIVE_INFINITY) this.keep -= drop;
        this.lastDrop = drop;
      } else {
        this.buf += added;
      }
      return true;
    }
  }

  /**
   * Joins `first` with further chunks until they reach `atLeast` characters (or the input
   * ends). Scanning flattens the buffer, copying it: growing it geometrically keeps the
   * copies linear in the text even when a long value arrives in tiny chunks.
   */
  private async gather(first: string, atLeast: number): Promise<string> {
    if (first.length >= atLeast) return first;
    const parts = [first];
    let n = first.length;
    while (n < atLeast) {
      const r = await this.it.next();
      if (r.done === true) {
        this.eof = true;
        break;
      }
      parts.push(r.value);
      n += r.value.length;
    }
    return parts.join('');
  }

  /** Closes the source early (the reader was abandoned or failed); idempotent. */
  async close(): Promise<void> {
    if (this.eof) return;
    this.eof = true;
    await this.it.return?.();
  }

  /** Drops everything buffered (used while discarding an over-long value). */
  discardAll(): void {
    this.lineBase += countNewlines(this.buf, 0, this.buf.length);
    this.buf = '';
    this.pos = 0;
    this.keep = Number.POSITIVE_INFINITY;
  }

  /** 1-based line number of buffer index `i` (must not be before the buffer start). */
  lineAt(i: number): number {
    return this.lineBase + countNewlines(this.buf, 0, Math.min(i, this.buf.length));
  }

  /**
   * Skips whitespace (and a leading byte-order mark) and returns the code of the next
   * character without consuming it, or -1 at end of input.
   */
  async peek(): Promise<number> {
    for (;;) {
      const c = this.skipWs();
      if (c >= 0) return c;
      if (!(await this.fill())) return -1;
    }
  }

  /** Synchronous part of `peek()`: -1 means the buffer ran out (not necessarily end of input). */
  skipWs(): number {
    const buf = this.buf;
    let p = this.pos;
    const n = buf.length;
    while (p < n) {
      const c = buf.charCodeAt(p);
      // JSON whitespace (RFC 8259 §2) plus U+FEFF, which a decoder may leave at the start.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) p++;
      else {
        this.pos = p;
        return c;
      }
    }
    this.pos = p;
    return -1;
  }
}

/** Number of `\n` in `s[from, to)`, using the native `indexOf`. */
export function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  let i = s.indexOf('\n', from);
  while (i !== -1 && i < to) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}
