/**
 * A small streaming XML tokenizer for the workbook's parts, `indexOf`-driven (ADR 0005): start
 * and end tags with their attributes, text with the predefined and numeric character
 * references decoded, CDATA as text; declarations, comments, processing instructions and a
 * DOCTYPE are passed over. It expands no entity a DOCTYPE declares (so "billion laughs" cannot
 * expand) and is not a validator: well-formedness beyond what the tokens need is not checked.
 * Memory stays bounded: text is handed out as it comes (a long text node in several pieces),
 * only an unfinished tag is carried from one chunk to the next, and one longer than `maxRun`
 * characters is refused. Constructed with `lines`, it counts lines as it goes: `line` is then the
 * line of the token being handed to a handler, and its errors name that line.
 */
import { VigieError } from '../../errors.js';
import type { XmlHandlers } from './xml.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with its character references decoded; an unknown or malformed one is kept as written. */
export function decodeText(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (m, ref: string) => {
    if (ref.charCodeAt(0) !== 0x23) return ENTITIES[ref] ?? m;
    const code = ref.charCodeAt(1) === 0x78 ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
  });
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Tokenizes chunks of one part; `write` calls the handlers for every complete token. */
export class XmlScanner {
  /** With `lines`: the 1-based line of the token being handed out (else stays 1). */
  line = 1;
  private tail = '';
  /** With `lines`: the next newline of the buffer being scanned not yet counted, -1 if none. */
  private nl = -1;

  constructor(
    private readonly h: XmlHandlers,
    private readonly maxRun: number,
    private readonly file: string,
    private readonly lines = false,
  ) {}

  write(chunk: string): void {
    const buf = this.tail.length === 0 ? chunk : this.tail + chunk;
    if (this.lines) this.nl = buf.indexOf('\n');
    const stop = this.scan(buf);
    // Newlines of the unfinished rest are counted when the next chunk completes it.
    if (this.lines) this.advance(buf, stop);
    this.tail = buf.slice(stop);
    if (this.tail.length > this.maxRun) {
      throw new VigieError('VIGIE_TOO_LARGE', `XML tag longer than ${this.maxRun} characters`, { position: this.position() });
    }
  }

  end(): void {
    if (this.tail.trim().length > 0 && this.tail.indexOf('<') !== -1) this.fail('the part ends inside a tag');
    else if (this.tail.length > 0) this.h.text(decodeText(this.tail));
    this.tail = '';
  }

  private fail(why: string): never {
    throw new VigieError('VIGIE_BAD_FORMAT', `malformed XML (${why})`, { position: this.position() });
  }

  private position(): { file: string; line?: number } {
    return this.lines ? { file: this.file, line: this.line } : { file: this.file };
  }

  /** Counts the newlines of `buf` before `i` (each once: `nl` only moves forward). */
  private advance(buf: string, i: number): void {
    while (this.nl !== -1 && this.nl < i) {
      this.line++;
      this.nl = buf.indexOf('\n', this.nl + 1);
    }
  }

  /** Handles every complete token of `buf`; returns where the unfinished rest starts. */
  private scan(buf: string): number {
    const h = this.h;
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        // Text that the next chunk may continue: handed out now (the reader bounds what it
        // keeps), all but a character reference cut by the chunk's end.
        const amp = buf.lastIndexOf('&');
        const cut = amp >= pos && amp > n - 12 && buf.indexOf(';', amp) === -1 ? amp : n;
        if (this.lines) this.advance(buf, pos);
        if (cut > pos) h.text(decodeText(buf.slice(pos, cut)));
        return cut;
      }
      if (this.lines) this.advance(buf, pos);
      if (lt > pos) h.text(decodeText(buf.slice(pos, lt)));
      pos = lt;
      if (this.lines) this.advance(buf, lt);
      const c = buf.charCodeAt(lt + 1);
      if (Number.isNaN(c)) return pos;
      if (c === 0x2f /* / */) {
        const gt = buf.indexOf('>', lt + 2);
        if (gt === -1) return pos;
        h.close(localName(buf.slice(lt + 2, gt).trim()));
        pos = gt + 1;
      } else if (c === 0x3f /* ? */) {
        const end = buf.indexOf('?>', lt + 2);
        if (end === -1) return pos;
        pos = end + 2;
      } else if (c === 0x21 /* ! */) {
        const next = this.special(buf, lt);
        if (next === -1) return pos;
        pos = next;
      } else {
        const next = this.startTag(buf, lt);
        if (next === -1) return pos;
        pos = next;
      }
    }
    return pos;
  }

  /** `<!-- -->`, `<![CDATA[ ]]>`, `<!DOCTYPE …>`: returns the position after it, -1 if unfinished. */
  private special(buf: string, lt: number): number {
    if (buf.startsWith('<!--', lt)) {
      const end = buf.indexOf('-->', lt + 4);
      return end === -1 ? -1 : end + 3;
    }
    if (buf.startsWith('<![CDATA[', lt)) {
      const end = buf.indexOf(']]>', lt + 9);
      if (end === -1) return -1;
      this.h.text(buf.slice(lt + 9, end));
      return end + 3;
    }
    if (buf.length - lt < 9) return -1;
    // A DOCTYPE, its internal subset (`[ … ]`) included; its entities are never expanded.
    const open = buf.indexOf('[', lt);
    const gt = buf.indexOf('>', lt);
    if (gt === -1) return -1;
    if (open !== -1 && open < gt) {
      const end = buf.indexOf(']', open);
      if (end === -1) return -1;
      const after = buf.indexOf('>', end);
      return after === -1 ? -1 : after + 1;
    }
    return gt + 1;
  }

  /** A start tag and its attributes: returns the position after `>`, -1 if unfinished. */
  private startTag(buf: string, lt: number): number {
    const n = buf.length;
    let i = lt + 1;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (isSpace(c) || c === 0x3e || c === 0x2f) break;
      i++;
    }
    if (i >= n) return -1;
    const name = buf.slice(lt + 1, i);
    if (name.length === 0) this.fail('a tag without a name');
    const attrs: Record<string, string> = {};
    for (;;) {
      while (i < n && isSpace(buf.charCodeAt(i))) i++;
      if (i >= n) return -1;
      const c = buf.charCodeAt(i);
      if (c === 0x3e /* > */) {
        this.h.open(localName(name), attrs, false);
        return i + 1;
      }
      if (c === 0x2f /* / */) {
        if (i + 1 >= n) return -1;
        if (buf.charCodeAt(i + 1) !== 0x3e) this.fail(`a stray / in <${name.slice(0, 40)}>`);
        const local = localName(name);
        this.h.open(local, attrs, true);
        this.h.close(local);
        return i + 2;
      }
      const eq = buf.indexOf('=', i);
      if (eq === -1) return -1;
      let key = buf.slice(i, eq);
      if (isSpace(key.charCodeAt(key.length - 1))) key = key.trim();
      let q = eq + 1;
      while (q < n && isSpace(buf.charCodeAt(q))) q++;
      if (q >= n) return -1;
      const quote = buf.charCodeAt(q);
      if (quote !== 0x22 && quote !== 0x27) this.fail(`an unquoted attribute in <${name.slice(0, 40)}>`);
      const close = buf.indexOf(quote === 0x22 ? '"' : "'", q + 1);
      if (close === -1) return -1;
      if (key.length === 0 || key.indexOf('<') !== -1) this.fail(`a malformed attribute in <${name.slice(0, 40)}>`);
      attrs[key] = decodeText(buf.slice(q + 1, close));
      i = close + 1;
    }
  }
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}
