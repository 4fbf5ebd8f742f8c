/**
 * Query results printed unaligned: `psql -A` (a header, values between `|`, a `(N rows)`
 * footer) and sqlite3's default `.mode list` (the same without the footer, the header only with
 * `.headers on`), or `.mode tabs` (a tab between values). Neither quotes nor escapes anything: a value's line break is printed as it is,
 * so a record goes on over several lines, and a `|` inside a value cannot be told from a
 * separator. Read as delimited text, every such value cost two `field count` skips and the
 * footer a third.
 *
 * A line with fewer fields than the table's is joined to the next ones while their fields add
 * up to no more than the table's (the last field of one line and the first of the next are one
 * value, `\n` between them); exactly the table's count is a record, more is a `field count`
 * skip of the first line, and the lines after it are read again. A line with more fields than
 * the table's (a `|` in a value) is a `field count` skip. The footer closes the table; the next
 * statement's header opens another (`file:2`...).
 *
 * `mysql -B -r` (raw: nothing escaped) prints its values between tabs in the same way, with NULL
 * as the word `NULL`: a tab-separated output in which a whole field is `NULL` (sqlite3 and psql
 * print NULL as nothing) is read as mysql's, the word as null.
 */
import { VigieError } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, MAX_COLUMNS } from '../limits.js';
import type { ReadEvent, ReadOptions } from '../types.js';
import { TableEvents } from './events.js';
import { isDecoration, isPsqlFooter } from './grid.js';

/** Lines a record may take with line breaks in its values before its first line is a `field count` skip. */
const MAX_JOINED_LINES = 64;

/** Fields of a line, at most `MAX_COLUMNS` + 1 counted (a hostile line costs its length only). */
function fields(s: string, sep: Separator): string[] {
  return s.split(sep, MAX_COLUMNS + 1);
}

/** `|` (psql -A, sqlite3 .mode list), or a tab (sqlite3 .mode tabs, psql -A -F with a tab). */
export type Separator = '|' | '\t';

function isBlankLine(s: string): boolean {
  return s.trim().length === 0;
}

/** A line that may open unaligned output: values between `sep`, no frame (`|`, `+`, box drawing) around them. */
export function opensUnaligned(s: string, sep: Separator): boolean {
  return s.includes(sep) && s[0] !== '|' && s[0] !== '+' && s[0] !== ' ' && !isDecoration(s);
}

/**
 * Whether the first lines of a text (the last one, perhaps cut short, left out) are unaligned
 * output, read as `UnalignedRecords` reads them: values between `|`, never a quote opening a
 * field (a CSV writer would quote), no Markdown delimiter row under the first line, and psql's
 * sign of itself, its `(N rows)` footer, or values on several lines joined into records (fewer
 * than the records on one line, and more than the lines skipped: a `|` in a value). Plain
 * pipe-delimited text without either is left to the delimited reader. `'vertical'`: `psql -A -x`,
 * `name|value` lines in blocks, which is not read (detect.ts refuses it).
 */
export function looksUnaligned(lines: readonly string[]): { kind: 'psql' | 'list' | 'vertical'; sep: Separator; nullWord: boolean } | undefined {
  for (const sep of ['|', '\t'] as const) {
    const kind = looksSeparated(lines, sep);
    if (kind) return { kind, sep, nullWord: sep === '\t' && kind === 'list' && lines.some((l) => fields(l, sep).includes('NULL')) };
  }
  return undefined;
}

function looksSeparated(lines: readonly string[], sep: Separator): 'psql' | 'list' | 'vertical' | undefined {
  let i = 0;
  while (i < lines.length && (isBlankLine(lines[i] ?? '') || isDecoration(lines[i] ?? ''))) i++;
  const first = lines[i] ?? '';
  const end = lines.length - 1;
  if (i >= end || !opensUnaligned(first, sep)) return undefined;
  const second = lines[i + 1] ?? '';
  if (fields(first, sep).length < 2 || (second.includes('-') && /^[\s|:-]+$/.test(second))) return undefined;
  const quote = sep === '|' ? /(?:^|\|)"/ : /(?:^|\t)"/;
  const r = new UnalignedRecords({ displayName: '', batchSize: 1 << 20 }, false, sep, false);
  for (let j = i; j < end; j++) {
    const s = lines[j] ?? '';
    // A quote opens a CSV field; a backslash before the line break, or `\N`, is a database's text
    // export (INTO OUTFILE, mysqldump --tab, COPY), which escapes its line breaks.
    if (quote.test(s) || /(?:^|[^\\])(?:\\\\)*\\$/.test(s) || fields(s, sep).includes('\\N')) return undefined;
    // psql -A -x: a blank line, then the first record's first name again.
    if (j > i && isBlankLine(lines[j - 1] ?? '') && fields(first, sep).length === 2 && s.startsWith(first.slice(0, first.indexOf(sep) + 1))) {
      return 'vertical';
    }
    r.line(s);
  }
  const { records, joined, skipped, footers } = r.stats;
  const plain = records - joined;
  if (plain === 0 || plain < joined || !(footers > 0 || joined > 0) || skipped > joined + (footers > 0 ? records / 20 : 0)) return undefined;
  return footers > 0 ? 'psql' : 'list';
}

/** A record being joined from several lines: its fields so far. */
interface Partial {
  fields: string[];
  line: number;
  lines: number;
  chars: number;
  /** The text lines after the first, to read again when the join fails. */
  raw: string[];
}

/** Reads unaligned output line by line (the same driver as the text tables, index.ts). */
export class UnalignedRecords {
  private readonly file: string;
  private readonly maxRecordChars: number;
  private readonly out: TableEvents;
  private lineNo = 0;
  /** Fields of the table being read; 0 outside a table. */
  private n = 0;
  /** The last whole record, held: the one-field lines after it may be more of its last value. */
  private last: { fields: string[]; chars: number; line: number; joined: boolean } | undefined;
  /** Blank lines after `last`: its own if more of its value follows, else nothing. */
  private blanks = 0;
  private partial: Partial | undefined;
  /** Whether each table's first line is a header for sure (psql's footer was seen). */
  private readonly psql: boolean;
  /** What was read, for `looksUnaligned`: records, those of several lines among them, skips, footers. */
  readonly stats = { records: 0, joined: 0, skipped: 0, footers: 0 };

  constructor(
    opts: ReadOptions,
    psql: boolean,
    private readonly sep: Separator,
    /** `mysql -B -r`: a whole field `NULL` is null. */
    private readonly nullWord: boolean,
  ) {
    this.file = opts.displayName;
    this.maxRecordChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
    this.out = new TableEvents(opts.displayName, Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE));
    this.psql = psql;
  }

  drain(): Generator<ReadEvent> {
    return this.out.drain();
  }

  /** The next line (without its `\n`), or undefined for one longer than `maxRecordChars`. */
  line(raw: string | undefined): void {
    const n = ++this.lineNo;
    if (raw === undefined) {
      this.failPartial();
      this.emitLast();
      if (this.n > 0) this.skip('record too long', n);
      else this.out.outsideSkip('record too long', n);
      return;
    }
    this.step(raw.endsWith('\r') ? raw.slice(0, -1) : raw, n);
  }

  end(): void {
    this.failPartial();
    this.emitLast();
    this.out.flush();
    if (this.out.tables === 0) throw new VigieError('VIGIE_EMPTY_FILE', 'no table in the text', { position: { file: this.file } });
  }

  private step(s: string, n: number): void {
    if (isPsqlFooter(s)) {
      this.failPartial();
      this.emitLast();
      this.out.flush();
      this.stats.footers++;
      this.n = 0;
      return;
    }
    if (this.n === 0) {
      if (isBlankLine(s) || isDecoration(s)) return;
      const head = fields(s, this.sep);
      if (head.length > MAX_COLUMNS) {
        this.out.outsideSkip('too many columns', n);
        return;
      }
      this.n = head.length;
      if (this.psql) this.out.openTable(head, { dialect: this.sep === '|' ? 'psql -A' : 'psql -A -F tab' });
      else
        this.out.openTable(
          head.map((_, i) => `column_${i + 1}`),
          { dialect: this.sep === '|' ? 'psql -A / sqlite3 .mode list' : this.nullWord ? 'mysql -B -r' : 'sqlite3 .mode tabs' },
          head,
        );
      return;
    }
    const f = fields(s, this.sep);
    const p = this.partial;
    if (p) {
      p.raw.push(s);
      p.lines++;
      p.chars += s.length + 1;
      const total = p.fields.length + f.length - 1;
      if (total > this.n || p.chars > this.maxRecordChars) {
        // The join fails: its first line is skipped, the others read again.
        this.failPartial();
        return;
      }
      p.fields[p.fields.length - 1] += `\n${f[0] ?? ''}`;
      for (let i = 1; i < f.length; i++) p.fields.push(f[i] ?? '');
      if (total === this.n) {
        this.partial = undefined;
        this.hold(p.fields, p.chars, p.line);
        if (this.last) this.last.joined = true;
      } else if (p.lines >= MAX_JOINED_LINES) this.failPartial();
      return;
    }
    const l = this.last;
    if (l && f.length === 1) {
      // A line of one field after a record: more of its last value (a line break in the first
      // value of the next record would look the same, and is the rarer).
      if (s.length === 0) {
        this.blanks++;
        return;
      }
      l.chars += s.length + this.blanks + 1;
      const k = l.fields.length - 1;
      l.fields[k] += `${'\n'.repeat(this.blanks + 1)}${s}`;
      this.blanks = 0;
      l.joined = true;
      if (l.chars > this.maxRecordChars) {
        this.last = undefined;
        this.skip('record too long', l.line);
      }
      return;
    }
    this.emitLast();
    if (f.length === this.n) this.hold(f, s.length, n);
    else if (f.length < this.n) this.partial = { fields: f, line: n, lines: 1, chars: s.length, raw: [] };
    else this.skip('field count', n);
  }

  private hold(fields: string[], chars: number, line: number): void {
    this.emitLast();
    this.last = { fields, chars, line, joined: false };
  }

  /** The record held goes out; blank lines after it were nobody's (the end of the output). */
  private emitLast(): void {
    const l = this.last;
    this.last = undefined;
    this.blanks = 0;
    if (!l) return;
    this.stats.records++;
    if (l.joined) this.stats.joined++;
    this.out.record(this.nullWord ? l.fields.map((v) => (v === 'NULL' ? null : v)) : l.fields);
  }

  private skip(reason: 'field count' | 'record too long', line: number): void {
    this.stats.skipped++;
    this.out.recordSkip(reason, line);
  }

  /** The record being joined, skipped at its first line; the lines it took are read again. */
  private failPartial(): void {
    const p = this.partial;
    if (!p) return;
    this.partial = undefined;
    this.emitLast();
    this.skip(p.chars > this.maxRecordChars ? 'record too long' : 'field count', p.line);
    let at = p.line;
    for (const s of p.raw) this.step(s, ++at);
  }
}
