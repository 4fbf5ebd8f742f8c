/**
 * Text exports of databases: `mysqldump --tab` and `SELECT … INTO OUTFILE` (tab-separated, no
 * header, `\N` for NULL, a backslash before a tab, a line break or a backslash of the data,
 * `\0` for NUL), `mysql -B` batch output (a header, `NULL` as a word, `\t` `\n` `\\` `\0`) and
 * PostgreSQL's text `COPY … TO` (`\N`, `\t` `\n` `\r` `\b` `\f` `\v` `\\`).
 *
 * Fields are separated by a raw tab (or the `FIELDS TERMINATED BY` character: `,` `;` `|`) and
 * records end at a raw line break; a backslash takes the next character out of that role. There
 * are no quotes: a `"` is data.
 */
import type { Cell } from '../types.js';
import type { ParserSink } from './parser.js';

/** A `ParserSink` whose records may hold `null` (a NULL mark). */
interface EscapedSink extends Omit<ParserSink, 'record'> {
  record(fields: Cell[], line: number, alreadyReported: boolean, multiLine: boolean): boolean;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const BS = 92;
const QUOTE = 34;

/** How a text export writes NULL: `\N` (OUTFILE, `--tab`, COPY) or the word `NULL` (`mysql -B`). */
type NullMark = '\\N' | 'NULL';

/** Characters after a backslash that stand for another (MySQL and PostgreSQL agree on these). */
const ESCAPES: Record<number, string> = {
  48: '\0', // \0
  98: '\b', // \b
  102: '\f', // \f
  110: '\n', // \n
  114: '\r', // \r
  116: '\t', // \t
  118: '\v', // \v
  90: '\x1a', // \Z (MySQL: Ctrl-Z)
};

/**
 * Whether a delimited sample is a database text export, and how it writes NULL. Signals:
 * a whole field `\N` or `NULL`, a backslash before the delimiter, a line break or one of the
 * escape letters; against: a backslash before anything else (a Windows path in a plain TSV), or a
 * doubled quote `""` inside a field that a quote opens (CSV quoting). Other delimiters than tab (`INTO OUTFILE FIELDS TERMINATED
 * BY ','`) need stronger evidence, since CSV holds backslashes more often: a whole field `\N`
 * or a backslash before the delimiter. The sample's last line may be cut: it counts the same.
 */
export function detectTextExport(sample: string, delimiter = '\t'): { nullMark: NullMark } | undefined {
  const dc = delimiter.charCodeAt(0);
  let escapes = 0;
  let others = 0;
  let beforeDelimiter = 0;
  for (let i = sample.indexOf('\\'); i !== -1 && i + 1 < sample.length; i = sample.indexOf('\\', i + 2)) {
    const d = sample.charCodeAt(i + 1);
    if (d === dc) beforeDelimiter++;
    if (d === BS || d === dc || d === LF || d === 78 /* N */ || ESCAPES[d] !== undefined) escapes++;
    else others++;
  }
  const d = delimiter === '\t' ? '\\t' : `\\${delimiter}`;
  // CSV quoting (a `""` or a quote elsewhere can be bytes of a binary value, which these exports write raw).
  if (csvQuoted(sample, dc)) return undefined;
  const backslashNull = new RegExp(`(?:^|[${d}\\n])\\\\N(?=[${d}\\r\\n]|$)`).test(sample);
  const wordNull = delimiter === '\t' && !backslashNull && /(?:^|[\t\n])NULL(?=[\t\r\n]|$)/.test(sample);
  if (others > escapes) return undefined;
  if (delimiter !== '\t' && !backslashNull && beforeDelimiter === 0) return undefined;
  if (!backslashNull && !wordNull && escapes === 0) return undefined;
  return { nullMark: wordNull ? 'NULL' : '\\N' };
}

/**
 * Whether the sample shows CSV quoting: a field that a quote opens, closed by a quote before the
 * delimiter or the line's end, holding a doubled quote, the delimiter or a line break, which a
 * text export escapes and never writes raw (DuckDB's and pandas' CSV with `NULLSTR '\N'`, Hive's).
 * Each opening quote is followed to the next lone quote: the scan is linear.
 */
function csvQuoted(sample: string, dc: number): boolean {
  const n = sample.length;
  for (let i = sample.indexOf('"'); i !== -1 && i < n; i = sample.indexOf('"', i + 1)) {
    const before = i === 0 ? LF : sample.charCodeAt(i - 1);
    if (before !== dc && before !== LF) continue;
    let telling = false;
    let j = i + 1;
    for (; j < n; j++) {
      const c = sample.charCodeAt(j);
      if (c === QUOTE) {
        if (sample.charCodeAt(j + 1) !== QUOTE) break;
        telling = true;
        j++;
      } else if (c === dc || c === LF) telling = true;
    }
    if (j >= n) return false;
    const after = j + 1 < n ? sample.charCodeAt(j + 1) : LF;
    if (telling && (after === dc || after === LF || after === CR)) return true;
    i = j;
  }
  return false;
}

/**
 * Whether the sample's records, read with backslash escapes, hold the same number of tabs
 * (four in five of its first 40 at least, one tab or more): a tab-separated text export whose
 * raw binary values would mislead a quote-aware count (a `"` byte opening a field).
 */
export function escapedTabsAgree(sample: string): boolean {
  const counts = new Map<number, number>();
  let records = 0;
  let tabs = 0;
  for (let i = 0; i < sample.length && records < 40; i++) {
    const c = sample.charCodeAt(i);
    if (c === BS) i++;
    else if (c === TAB) tabs++;
    else if (c === LF) {
      counts.set(tabs, (counts.get(tabs) ?? 0) + 1);
      records++;
      tabs = 0;
    }
  }
  let best = 0;
  let bestTabs = 0;
  for (const [n, k] of counts) {
    if (k > best) {
      best = k;
      bestTabs = n;
    }
  }
  return records >= 2 && bestTabs >= 1 && best * 5 >= records * 4;
}

/**
 * Whether records end at CR LF only: MySQL escapes the first character of its `LINES
 * TERMINATED BY`, so with `'\r\n'` a line feed of the data is written raw. Most line breaks of
 * the sample (more than two thirds) are then CR LF, and the few bare ones are inside values.
 */
export function crlfRecords(sample: string): boolean {
  let crlf = 0;
  let bare = 0;
  for (let i = sample.indexOf('\n'); i !== -1; i = sample.indexOf('\n', i + 1)) {
    if (i > 0 && sample.charCodeAt(i - 1) === CR) crlf++;
    else bare++;
  }
  return crlf > 0 && bare * 2 < crlf;
}

/**
 * A resumable parser of backslash-escaped, tab-separated text, with the interface of
 * `DelimitedParser`: the same sink, the same `needMore` protocol, every record bounded by
 * `maxRecordChars` (an overlong record is skipped as `record too long`, reading resumes at the
 * next line). A field that is exactly the NULL mark becomes `null`.
 */
export class EscapedParser {
  /** 1-based line number at the start of the next text to parse. */
  line = 1;
  /** True when the last `parse` stopped because the next record needs more text. */
  needMore = false;
  /** Dropping the rest of an overlong record's first line. */
  private discarding = false;
  private readonly wordNull: boolean;
  private readonly delimiter: number;

  constructor(
    private readonly maxRecordChars: number,
    private readonly sink: EscapedSink,
    nullMark: NullMark,
    delimiter = '\t',
    /** Records end at CR LF only; a bare LF is data (see {@link crlfRecords}). */
    private readonly crlfOnly = false,
  ) {
    this.wordNull = nullMark === 'NULL';
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** As `DelimitedParser.parse`: records from `s` at `from`, at most `maxRecords`; returns where it stopped. */
  parse(s: string, from: number, isEnd: boolean, maxRecords: number): number {
    const len = s.length;
    let pos = from;
    let count = 0;
    this.needMore = false;
    if (this.discarding) {
      const nl = s.indexOf('\n', pos);
      if (nl === -1) {
        if (isEnd) this.discarding = false;
        return len;
      }
      this.discarding = false;
      pos = nl + 1;
    }
    while (pos < len && count < maxRecords) {
      const c0 = s.charCodeAt(pos);
      if (c0 === LF || (c0 === CR && s.charCodeAt(pos + 1) === LF)) {
        pos += c0 === CR ? 2 : 1; // an empty line: ignored, counted for line numbers
        this.line++;
        continue;
      }
      if (c0 === CR && pos + 1 === len && !isEnd) {
        this.needMore = true;
        break;
      }
      const limit = pos + this.maxRecordChars;
      const row: Cell[] = [];
      let fieldStart = pos;
      let seg = pos;
      let value = '';
      let lines = 0;
      let p = pos;
      let end = -1; // index after the record's line break, once found
      let tooLong = false;
      for (;;) {
        if (p >= limit) {
          tooLong = true;
          break;
        }
        if (p >= len) {
          if (!isEnd) break;
          row.push(this.field(s, fieldStart, p, value + s.slice(seg, p)));
          end = len;
          break;
        }
        const c = s.charCodeAt(p);
        if (c === this.delimiter) {
          row.push(this.field(s, fieldStart, p, value + s.slice(seg, p)));
          value = '';
          p++;
          seg = fieldStart = p;
        } else if (c === LF && this.crlfOnly && !(p > seg && s.charCodeAt(p - 1) === CR)) {
          lines++; // a line feed of the data, raw: still a line of the file
          p++;
        } else if (c === LF) {
          const stop = p > seg && s.charCodeAt(p - 1) === CR ? p - 1 : p; // CRLF line endings
          row.push(this.field(s, fieldStart, stop, value + s.slice(seg, stop)));
          end = p + 1;
          break;
        } else if (c === BS) {
          if (p + 1 >= len && !isEnd) break;
          const d = s.charCodeAt(p + 1);
          value += s.slice(seg, p);
          if (p + 1 >= len) {
            value += '\\'; // a lone backslash ending the input: kept
            p++;
          } else {
            value += ESCAPES[d] ?? s[p + 1];
            if (d === LF) lines++;
            p += 2;
          }
          seg = p;
        } else p++;
      }
      if (tooLong) {
        count++;
        this.sink.skip('record too long', this.line);
        this.line++;
        const nl = s.indexOf('\n', pos);
        if (nl === -1) {
          if (!isEnd) this.discarding = true;
          return len;
        }
        pos = nl + 1;
        continue;
      }
      if (end === -1) {
        this.needMore = true;
        break;
      }
      count++;
      this.sink.record(row, this.line, false, false);
      this.line += lines + 1;
      pos = end;
    }
    return pos;
  }

  /** A field's value: `null` when its raw text is exactly the NULL mark. */
  private field(s: string, start: number, stop: number, decoded: string): Cell {
    const n = stop - start;
    if (n === 2 && s.charCodeAt(start) === BS && s.charCodeAt(start + 1) === 78) return null;
    if (this.wordNull && n === 4 && decoded === 'NULL') return null;
    return decoded;
  }
}
