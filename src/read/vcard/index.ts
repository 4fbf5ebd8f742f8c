/**
 * vCard address books (`.vcf`: RFC 6350 4.0, RFC 2426 3.0, and 2.1 as phones still export
 * them): Google Contacts, iCloud, Android and Outlook exports, a CRM's contacts.
 *
 * One table of cards, in file order, a record per `BEGIN:VCARD` … `END:VCARD`. Lines that start
 * with a space or a tab go on with the line before (RFC 6350 §3.2); a quoted-printable value
 * (2.1) goes on after a line ending with `=`. Columns are named so that a reader of the report,
 * and the recogniser, know them: `n.family_name`, `n.given_name`, `fn.full_name`, `email`, `tel`,
 * `adr.street`, `adr.city`, `adr.postal_code`, `bday.birthday`, `org.organization`, other
 * properties by their own name in lower case; a property's second and later values take
 * `tel[1]`, `tel[2]`... (groups such as Apple's `item1.` dropped). Values are unescaped (`\,` `\;` `\n`),
 * quoted-printable decoded in their `CHARSET` (UTF-8 by default), base64 ones (a `PHOTO`) kept
 * as `base64:…`.
 */
import iconv from 'iconv-lite';
import { EntryTable, linesOf } from '../entries.js';
import type { Cell, ReadEvent, ReadOptions, TextReader } from '../types.js';

/** `[group.]NAME[;params]:value` (RFC 6350 §3.3). */
const CONTENT_LINE = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/;

/** Structured values, split on `;`: the names of their components (RFC 6350 §6.2.2, §6.3.1). */
const COMPONENTS: Readonly<Record<string, readonly string[]>> = {
  N: ['family_name', 'given_name', 'additional_names', 'prefix', 'suffix'],
  ADR: ['po_box', 'extended_address', 'street', 'city', 'region', 'postal_code', 'country'],
};

/** Single values whose property name says little to a reader: a second segment names them. */
const NAMED: Readonly<Record<string, string>> = {
  FN: 'fn.full_name',
  BDAY: 'bday.birthday',
  ORG: 'org.organization',
  TITLE: 'title.job_title',
  NICKNAME: 'nickname',
};

/** Lines of a card that are no data of it. */
const FRAME = new Set(['BEGIN', 'END', 'VERSION', 'PRODID']);

/**
 * Whether text that starts at `start` is a vCard file: its first line `BEGIN:VCARD`.
 *
 * @example looksLikeVcard('BEGIN:VCARD\r\nVERSION:3.0\r\n', 0) // true
 */
export function looksLikeVcard(text: string, start: number): boolean {
  return /^begin:vcard[ \t]*\r?\n/i.test(text.slice(start, start + 64));
}

/**
 * Reads vCard text into one table (`file`), a record per card.
 *
 * @example
 * for await (const ev of readVcard(text, { displayName: 'contacts.vcf' })) if (ev.kind === 'rows') handle(ev.rows);
 */
export const readVcard: TextReader = async function* readVcard(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const cards = new Cards(new EntryTable(opts.displayName, 'vcard', opts));
  for await (const lines of linesOf(text, cards.table.maxChars)) {
    for (const l of lines) cards.line(l);
    yield* cards.table.drain();
  }
  cards.end();
  yield* cards.table.drain();
};

/** The card being read, line by line, into the table. */
class Cards {
  private lineNo = 0;
  /** In a card: its logical lines so far, where it began, its size; null between cards. */
  private lines: string[] | null = null;
  private startLine = 0;
  private chars = 0;
  private tooLong = false;
  /** The last logical line is quoted-printable and ended with `=`: the next line goes on with it. */
  private softBreak = false;
  /** Lines between cards that are no card's: skipped once per run, at the run's first line. */
  private strayFrom = 0;

  constructor(readonly table: EntryTable) {}

  line(text: string): void {
    this.lineNo++;
    if (this.lines === null) {
      if (/^begin:vcard\s*$/i.test(text)) {
        this.endStray();
        this.lines = [];
        this.startLine = this.lineNo;
        this.chars = 0;
        this.tooLong = false;
        this.softBreak = false;
      } else if (text.trim() !== '' && this.strayFrom === 0) this.strayFrom = this.lineNo;
      return;
    }
    this.chars += text.length;
    if (this.chars > this.table.maxChars) this.tooLong = true;
    if (/^end:vcard\s*$/i.test(text)) {
      this.finishCard();
      return;
    }
    if (this.tooLong) {
      this.lines = [];
      return;
    }
    const last = this.lines.length - 1;
    const c = text.charCodeAt(0);
    if (last >= 0 && (c === 0x20 || c === 0x09)) {
      this.lines[last] += text.slice(1);
      return;
    }
    if (last >= 0 && this.softBreak) {
      this.lines[last] = `${(this.lines[last] ?? '').slice(0, -1)}${text}`;
      this.softBreak = text.endsWith('=');
      return;
    }
    this.lines.push(text);
    this.softBreak = /QUOTED-PRINTABLE/i.test(text.slice(0, text.indexOf(':') + 1)) && text.endsWith('=');
  }

  end(): void {
    if (this.lines !== null) {
      // No END:VCARD: the file was cut inside this card.
      this.lines = null;
      this.table.skip('truncated', this.startLine);
    }
    this.endStray();
    this.table.end();
  }

  private endStray(): void {
    if (this.strayFrom === 0) return;
    this.table.outsideSkip('not a vCard line', this.strayFrom);
    this.strayFrom = 0;
  }

  private finishCard(): void {
    const lines = this.lines ?? [];
    this.lines = null;
    if (this.tooLong) {
      this.table.skip('record too long', this.startLine);
      return;
    }
    const row: Cell[] = [];
    const seen = new Map<string, number>();
    for (const l of lines) {
      if (l.trim() === '') continue;
      const m = CONTENT_LINE.exec(l);
      if (m === null) {
        this.table.skip('not a vCard line', this.startLine);
        return;
      }
      const name = (m[1] ?? '').toUpperCase();
      if (FRAME.has(name)) continue;
      const value = decode(m[2] ?? '', m[3] ?? '');
      const parts = COMPONENTS[name];
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      const suffix = n === 0 ? '' : `[${n}]`;
      const cells: [string, string][] =
        parts === undefined
          ? [[(NAMED[name] ?? name.toLowerCase()) + suffix, unescapeText(value)]]
          : splitStructured(value).flatMap((v, i): [string, string][] =>
              v === '' || i >= parts.length ? [] : [[`${name.toLowerCase()}.${parts[i]}${suffix}`, v]],
            );
      for (const [column, v] of cells) {
        const at = this.table.column(column);
        if (at === -1) {
          this.table.skip('too many columns', this.startLine);
          return;
        }
        while (row.length < at) row.push(null);
        row[at] = v;
      }
    }
    this.table.push(row);
  }
}

/** A value as its parameters say: quoted-printable in its charset, base64 kept as written, else as is. */
function decode(params: string, raw: string): string {
  const p = params.toUpperCase();
  if (/(?:^|;)(?:ENCODING=)?(?:B|BASE64)(?:;|$)/.test(p)) return `base64:${raw.trim()}`;
  if (!/(?:^|;)(?:ENCODING=)?QUOTED-PRINTABLE(?:;|$)/.test(p)) return raw;
  const charset = /(?:^|;)CHARSET=([A-Z0-9_-]+)/.exec(p)?.[1] ?? 'UTF-8';
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === '=' ? raw.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else for (const b of Buffer.from(raw[i] ?? '', 'utf8')) bytes.push(b);
  }
  return iconv.encodingExists(charset) ? iconv.decode(Buffer.from(bytes), charset) : Buffer.from(bytes).toString('utf8');
}

/** RFC 6350 §3.4: `\n` or `\N` a line break, `\,` `\;` `\\` themselves. */
function unescapeText(v: string): string {
  return v.indexOf('\\') === -1 ? v : v.replace(/\\([\s\S])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A structured value's components: split on `;` not escaped, each unescaped. */
function splitStructured(v: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length) {
      cur += v.slice(i, i + 2);
      i++;
    } else if (c === ';') {
      out.push(unescapeText(cur).trim());
      cur = '';
    } else cur += c;
  }
  out.push(unescapeText(cur).trim());
  return out;
}
