/**
 * Query results printed one field per line, as clients print wide rows: `mysql -E` (or a
 * statement ended by `\G`), psql's expanded display (`psql -x`, `\x`), and sqlite3's
 * `.mode line`; psql's records in a frame too (`border=2`, `linestyle=unicode`), read as with
 * the default border once the frame is taken off. Each record is a block of `name: value` lines (mysql, names right-aligned),
 * `name | value` (psql, names left-aligned) or `name = value` (sqlite3, right-aligned), opened
 * by `*** 1. row ***` (mysql), `-[ RECORD 1 ]` (psql) or, for sqlite3, by a blank line.
 *
 * The first record of a table gives its columns, in order; in every later record a line is a
 * new field only when it names the next column at the same alignment, so that a value's raw
 * line break (mysql, sqlite3) is joined to it again even when the next line looks like a
 * field; psql marks its continuations itself (`+` at the end of a line, the name left blank).
 * A record whose fields do not match the columns is a `field count` skip; one longer than
 * `maxRecordChars` a `record too long` skip. mysql's `NULL` is null. A record numbered 1 again
 * (the next statement's result) opens a new table, named `file:2`, `file:3`...
 */
import { VigieError } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, MAX_COLUMNS } from '../limits.js';
import type { ReadEvent, ReadOptions } from '../types.js';
import { TableEvents, type SkipReason } from './events.js';
import { isDecoration } from './grid.js';

type Dialect = 'mysql' | 'psql' | 'sqlite';

const MYSQL_HEAD = /^\*{10,} (\d+)\. row \*{10,}$/;
const PSQL_HEAD = /^-\[ RECORD (\d+) \]-*(?:\+-*)?$/;
/** A field's name and its separator, for finding the separator's column in a table's first field. */
const FIELD_AT: Record<Dialect, RegExp> = {
  mysql: /^( *[^ ](?:[^:]*[^ :])?)(?=:(?: |$))/,
  psql: /^([^ |](?:[^|]*?[^ ])?) *(?= \|(?: |$))/,
  sqlite: /^( *[^ ](?:.*?[^ ])?)(?= =(?: |$))/,
};

const DIALECT_NAMES: Record<Dialect, string> = { mysql: 'mysql -E', psql: 'psql -x', sqlite: 'sqlite3 .mode line' };

/**
 * How psql frames its expanded records: `border=2` puts `| … |` around each line (`│ … │` in
 * `linestyle=unicode`, which also draws `│` between name and value and `↵` for `+`).
 */
type Frame = 'none' | 'ascii2' | 'unicode1' | 'unicode2';

const FRAMED_HEAD: [RegExp, Frame][] = [
  [/^\+-\[ RECORD (\d+) \]-*(?:\+-*)?\+$/, 'ascii2'],
  [/^[┌├]─\[ RECORD (\d+) \]─*(?:[┬┼]─*)?[┐┤]$/, 'unicode2'],
  [/^─\[ RECORD (\d+) \]─*(?:[┬┼]─*)?$/, 'unicode1'],
];

/** A framed psql record header: its frame and the header as psql prints it with the default border. */
function framedHead(s: string): { frame: Frame; head: string } | undefined {
  for (const [re, frame] of FRAMED_HEAD) {
    const m = re.exec(s);
    if (m) return { frame, head: `-[ RECORD ${m[1]} ]` };
  }
  return undefined;
}

/** A line of framed expanded output as psql prints it with the default border; null for the bottom rule. */
function unframe(s: string, frame: Frame): string | null {
  if (frame === 'none') return s;
  const head = framedHead(s);
  if (head) return head.head;
  if (frame === 'unicode1') return unmark(s.replace(' │', ' |'));
  if (/^(?:\+[-+]*\+|└[─┴]*┘)$/.test(s)) return null;
  const m = /^[|│] (.*)[|│]$/.exec(s);
  if (!m) return s;
  const inner = frame === 'unicode2' ? (m[1] ?? '').replace(' │ ', ' | ') : (m[1] ?? '');
  // A value going on ends with its mark, next to the frame; else its padding goes.
  return inner.endsWith('+') || inner.endsWith('↵') ? unmark(inner) : inner.trimEnd();
}

function unmark(s: string): string {
  return s.endsWith('↵') ? `${s.slice(0, -1)}+` : s;
}

/** The dialect a record header line opens, and its record number. */
function recordHead(raw: string): { dialect: Dialect; n: number; frame: Frame } | undefined {
  const framed = framedHead(raw);
  const s = framed?.head ?? raw;
  const m = MYSQL_HEAD.exec(s) ?? PSQL_HEAD.exec(s);
  if (!m) return undefined;
  return { dialect: s[0] === '*' ? 'mysql' : 'psql', n: Number(m[1]), frame: framed?.frame ?? 'none' };
}

/** The column of a field line's separator (`:`, ` |`, ` =`), or -1 when the line is no field of the dialect. */
function separatorColumn(dialect: Dialect, s: string): number {
  const m = FIELD_AT[dialect].exec(s);
  return m ? m[0].length : -1;
}

/** A field line at separator column `col`: its name and value, or undefined. */
function fieldAt(dialect: Dialect, s: string, col: number): { name: string; value: string } | undefined {
  if (col <= 0 || s.length < col + 1) return undefined;
  let value: string;
  if (dialect === 'mysql') {
    if (s[col] !== ':' || (s.length > col + 1 && s[col + 1] !== ' ')) return undefined;
    value = s.slice(col + 2);
  } else {
    const sep = dialect === 'psql' ? '|' : '=';
    if (s[col] !== ' ' || s[col + 1] !== sep || (s.length > col + 2 && s[col + 2] !== ' ')) return undefined;
    value = s.slice(col + 3);
  }
  const head = s.slice(0, col);
  // psql's names are left-aligned: a blank name is a continuation; mysql's and sqlite3's right-aligned.
  const name = dialect === 'psql' ? head.trimEnd() : head.trimStart();
  if (name.length === 0 || (dialect === 'psql' ? name[0] === ' ' : head[col - 1] === ' ')) return undefined;
  return { name, value };
}

/** A sqlite3 `.mode line` field: right-aligned name, ` = `, value. */
function sqliteField(s: string): boolean {
  return s[0] !== '|' && s[0] !== '+' && separatorColumn('sqlite', s) > 0;
}

/**
 * Whether the first lines of a text (blank lines and client decorations passed over) are
 * records printed one field per line: a mysql or psql record header over a field of its
 * dialect, or at least two sqlite3 field lines at one alignment, right-aligned, followed by a
 * blank line and the same first field (or by nothing else).
 */
export function looksVertical(lines: readonly string[]): boolean {
  let i = 0;
  while (i < lines.length && (isBlankLine(lines[i] ?? '') || isDecoration(lines[i] ?? ''))) i++;
  const first = lines[i] ?? '';
  const head = recordHead(first);
  if (head) {
    const next = unframe(lines[i + 1] ?? '', head.frame) ?? '';
    return head.n === 1 && fieldAt(head.dialect, next, separatorColumn(head.dialect, next)) !== undefined;
  }
  if (!sqliteField(first)) return false;
  const col = separatorColumn('sqlite', first);
  const name = fieldAt('sqlite', first, col)?.name;
  let fields = 0;
  let padded = false;
  let j = i;
  for (; j < lines.length && !isBlankLine(lines[j] ?? ''); j++) {
    const s = lines[j] ?? '';
    if (fieldAt('sqlite', s, col) === undefined) continue; // a value's line break
    fields++;
    if (s[0] === ' ') padded = true;
  }
  if (fields < 2 || !padded) return false;
  while (j < lines.length && isBlankLine(lines[j] ?? '')) j++;
  // The sample may end inside the second record: its first line is enough.
  return j >= lines.length || fieldAt('sqlite', lines[j] ?? '', col)?.name === name;
}

/** `s` without its trailing spaces (psql's padding before `+`), line breaks kept. */
function trimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x20) end--;
  return s.slice(0, end);
}

function isBlankLine(s: string): boolean {
  return s.trim().length === 0;
}

/** The first line of a text decides whether it is read as vertical records: a record header or a sqlite3 field. */
export function opensVertical(s: string): boolean {
  return recordHead(s) !== undefined || sqliteField(s);
}

/** The record being read. */
interface Current {
  line: number;
  names: string[];
  values: string[];
  chars: number;
  bad: SkipReason | undefined;
  /** psql: the last segment ended with `+`, so a blank-named line goes on with it. */
  plus: boolean;
  /** Blank lines since the last line of the record: a value's own, if more of it follows. */
  blanks: number;
}

/** Reads vertical records line by line (the same driver as the text tables, index.ts). */
export class VerticalRecords {
  private readonly file: string;
  private readonly maxRecordChars: number;
  private readonly out: TableEvents;
  private lineNo = 0;
  private dialect: Dialect | undefined;
  /** psql's frame around the records being read. */
  private frame: Frame = 'none';
  /** Separator column of the table being read. */
  private col = -1;
  private columns: string[] | undefined;
  private cur: Current | undefined;

  constructor(opts: ReadOptions) {
    this.file = opts.displayName;
    this.maxRecordChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
    this.out = new TableEvents(this.file, Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE));
  }

  drain(): Generator<ReadEvent> {
    return this.out.drain();
  }

  /** The next line (without its `\n`), or undefined for one longer than `maxRecordChars`. */
  line(raw: string | undefined): void {
    const n = ++this.lineNo;
    if (raw === undefined) {
      if (this.cur) this.cur.bad = 'record too long';
      else this.out.outsideSkip('record too long', n);
      return;
    }
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const head = recordHead(line);
    if (head) {
      this.closeRecord();
      if (head.dialect !== this.dialect || head.frame !== this.frame || (head.n === 1 && this.out.hasRecords)) this.closeTable();
      this.dialect = head.dialect;
      this.frame = head.frame;
      this.cur = this.newRecord(n);
      return;
    }
    const s = unframe(line, this.frame);
    if (s === null) {
      // The bottom of psql's frame: the table is over.
      this.closeRecord();
      this.closeTable();
      this.frame = 'none';
      return;
    }
    if (isBlankLine(s)) {
      if (this.cur) this.cur.blanks++;
      return;
    }
    const d = this.dialect ?? (sqliteField(s) ? 'sqlite' : undefined);
    const col = d === undefined ? -1 : this.col >= 0 ? this.col : separatorColumn(d, s);
    const f = d === undefined ? undefined : fieldAt(d, s, col);
    if (f === undefined && isDecoration(s)) {
      // A prompt or a status line (`3 rows in set`, `(0 rows)`): the table is over.
      this.closeRecord();
      this.closeTable();
      return;
    }
    if (d === undefined) {
      this.out.outsideSkip('not a table row', n);
      return;
    }
    this.dialect = d;
    if (this.col < 0 && f) this.col = col;
    const cur = this.cur;
    if (d === 'sqlite' && f && cur && cur.blanks > 0 && f.name === (this.columns ? this.columns[0] : cur.names[0])) {
      // sqlite3 separates records by a blank line only: this one opens the next.
      this.closeRecord();
    }
    if (!this.cur) {
      if (d !== 'sqlite' || !f) {
        this.out.outsideSkip('not a table row', n);
        return;
      }
      this.cur = this.newRecord(n);
    }
    this.take(this.cur, d, s, f);
  }

  end(): void {
    this.closeRecord();
    this.closeTable();
    if (this.out.tables === 0) throw new VigieError('VIGIE_EMPTY_FILE', 'no record in the text', { position: { file: this.file } });
  }

  private newRecord(line: number): Current {
    return { line, names: [], values: [], chars: 0, bad: undefined, plus: false, blanks: 0 };
  }

  /** One line of the current record: a new field, or more of the last value. */
  private take(cur: Current, d: Dialect, s: string, f: { name: string; value: string } | undefined): void {
    const k = cur.names.length;
    const expected = this.columns ? this.columns[k] : undefined;
    const isNew = f !== undefined && (this.columns ? f.name === expected : !cur.names.includes(f.name));
    cur.chars += s.length;
    if (cur.chars > this.maxRecordChars) cur.bad = 'record too long';
    if (cur.bad === 'record too long') {
      cur.values.length = 0;
      return;
    }
    if (isNew) {
      if (k >= MAX_COLUMNS) {
        cur.bad = 'too many columns';
        return;
      }
      cur.names.push(f.name);
      cur.values.push(f.value);
      cur.plus = d === 'psql' && f.value.endsWith('+');
      cur.blanks = 0;
      return;
    }
    if (k === 0) {
      cur.bad = 'not a table row';
      return;
    }
    let more: string;
    if (d === 'psql') {
      // A continuation leaves the name blank, after a segment that ended with `+`.
      const rest = s.slice(0, this.col).trim().length === 0 && s.slice(this.col, this.col + 2) === ' |' ? s.slice(this.col + 3) : undefined;
      if (rest === undefined || !cur.plus) {
        cur.bad = 'field count';
        return;
      }
      const last = cur.values[k - 1] ?? '';
      cur.values[k - 1] = trimSpaces(last.slice(0, -1));
      cur.plus = rest.endsWith('+');
      more = rest;
    } else {
      more = s;
    }
    cur.values[k - 1] += '\n'.repeat(cur.blanks + 1) + more;
    cur.blanks = 0;
  }

  private closeRecord(): void {
    const cur = this.cur;
    if (!cur) return;
    this.cur = undefined;
    if (cur.names.length === 0 && !cur.bad) return;
    if (!this.columns && !cur.bad) {
      this.columns = cur.names;
      this.startTable();
    } else if (!this.columns) {
      // No table yet to count it in: the next record gives the columns, and its own alignment.
      this.out.outsideSkip(cur.bad ?? 'field count', cur.line);
      this.col = -1;
      return;
    }
    const columns = this.columns;
    if (cur.bad || cur.names.length !== columns.length) {
      this.out.recordSkip(cur.bad ?? 'field count', cur.line);
      return;
    }
    this.out.record(this.dialect === 'mysql' ? cur.values.map((v) => (v === 'NULL' ? null : v)) : cur.values);
  }

  private startTable(): void {
    this.out.openTable([...(this.columns ?? [])], { dialect: DIALECT_NAMES[this.dialect ?? 'mysql'] });
  }

  private closeTable(): void {
    this.out.flush();
    this.columns = undefined;
    this.col = -1;
    if (this.dialect === 'sqlite') this.dialect = undefined;
  }
}
