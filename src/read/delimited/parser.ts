/**
 * The delimited-text state machine: RFC 4180 records out of decoded text, resumable across
 * buffers, with every record bounded in length.
 *
 * Speed comes from `indexOf`: the next delimiter, LF and CR positions are cached and only
 * searched again once parsing has passed them, so each character is scanned a constant number
 * of times whatever the field count. Quoted fields jump from quote to quote.
 *
 * Rules (RFC 4180 §2, with the leniencies spreadsheet exports need):
 * - a field is quoted only when its first character is `"` (§2.5); inside, `""` is one quote
 *   (§2.7) and delimiters and line breaks are data (§2.6);
 * - a `"` inside an unquoted field is kept literally (`5" écran`), as Excel does;
 * - text after a closing quote and before the next delimiter is appended literally;
 * - records end at CRLF, LF or a lone CR; empty lines are ignored;
 * - a record longer than `maxRecordChars` is skipped (`unclosed quote` when the excess falls
 *   inside a quoted field, else `record too long`) and parsing resumes at the line after the
 *   one where that record started, so one stray quote cannot swallow the rest of a file;
 *   so does a multi-line record the sink rejects (a stray quote closed by a later one).
 *
 * With `backslash` (MySQL's `SELECT … INTO OUTFILE … ENCLOSED BY '"'` and `mysqldump --tab
 * --fields-enclosed-by`), a backslash takes the next character out of its role, inside quotes
 * as outside: `\"` is a quote of the data, `\\` a backslash, `\n` `\t` `\0` what they name, and
 * an unquoted `\N` is NULL.
 *
 * With `quoteEscape` (MySQL's `INTO OUTFILE … ENCLOSED BY '"' ESCAPED BY '"'`), the quote is
 * MySQL's escape character: `""` is a quote as in RFC 4180, `"0` a NUL, a whole field `"N` is
 * NULL, and a quote before a line break either escapes it or closes the field that ends the
 * record: the line break is the value's unless a record starts after it. A record starts with
 * a quote that opens a field (not one of a doubled `""`), or, when numbers go unquoted
 * (`'optionally'`, `OPTIONALLY ENCLOSED BY`), with a field whose delimiter comes before any
 * quote or line break (the rest of a value ends with its closing quote instead).
 *
 * Every decision depends only on the text, never on where buffers were cut: a record is
 * decided as soon as the text up to `recordStart + maxRecordChars` is known, and the parser
 * asks for more text (`needMore`) only before that point.
 */
import type { Cell } from '../types.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BS = 92;
const ZERO = 48;
const N_CHAR = 78;

/** Whether the character at `i` (code `c`) ends a field: the delimiter, a line break, the text's end. */
function isFieldEnd(c: number, dc: number, i: number, len: number): boolean {
  return i >= len || c === dc || c === LF || c === CR;
}

/**
 * Whether a record starts at `i`, after a quote and a line break in a file escaping with the
 * quote (see the file's comment): the text's end, a quote that opens a field (not one of a
 * doubled `""` inside a value), or with `unquoted`, a first field, not empty, that reaches its
 * delimiter before any quote or line break. Null when the text so far cannot tell.
 */
function recordStarts(s: string, i: number, dc: number, len: number, unquoted: boolean, isEnd: boolean): boolean | null {
  if (i >= len) return true;
  if (s.charCodeAt(i) === QUOTE) return s.charCodeAt(i + 1) !== QUOTE || isFieldEnd(s.charCodeAt(i + 2), dc, i + 2, len);
  if (!unquoted) return false;
  for (let k = i; k < len; k++) {
    const c = s.charCodeAt(k);
    if (c === dc) return k > i; // an unquoted first field is a number: never empty
    if (c === QUOTE || c === LF || c === CR) return false;
  }
  return isEnd ? false : null;
}

/** Characters after a backslash that stand for another, in MySQL's escaped output. */
const ESCAPED: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/** A field's text with its backslash escapes undone (a backslash at the very end is kept). */
function unescapeBackslashes(v: string): string {
  return v.replace(/\\([\s\S])/g, (_, c: string) => ESCAPED[c] ?? c);
}

/** Whether the quote at `q` is escaped: an odd run of backslashes before it, from `from` on. */
function escapedAt(s: string, q: number, from: number): boolean {
  let k = q - 1;
  while (k >= from && s.charCodeAt(k) === BS) k--;
  return (q - 1 - k) % 2 === 1;
}

/** How a quote escapes in MySQL's `ESCAPED BY '"'` exports (see the file's comment). */
export type QuoteEscape = 'none' | 'enclosed' | 'optionally';

/** Why a record was skipped. Stable strings: reports count by them. */
export type RecordSkipReason = 'unclosed quote' | 'record too long';

/** Receives what the parser finds, in input order. */
export interface ParserSink {
  /**
   * A complete record: its fields (`null` only for a backslash parser's `\N`) and the 1-based
   * line where it starts. Returns false to reject it (wrong field count); a rejected record
   * that spans several lines is then read again from its second line, since a stray quote
   * most likely joined lines that were records. `alreadyReported` is true for a record re-read
   * from inside such a rejected record: if it is rejected too, it must not be counted a second
   * time. `multiLine`: the record spans lines.
   */
  record(fields: Cell[], line: number, alreadyReported: boolean, multiLine: boolean): boolean;
  /** A malformed record, skipped: the reason and the 1-based line where it starts. */
  skip(reason: RecordSkipReason, line: number): void;
}

// Outcome of one record attempt.
const OK = 0;
const NEED_MORE = 1;
const TOO_LONG = 2;
const UNCLOSED = 3;

/**
 * A resumable delimited-text parser. Feed it successive buffers, each starting with the text
 * the previous call did not consume.
 *
 * @example
 * const p = new DelimitedParser(';', 1 << 20, sink);
 * let pos = p.parse(text, 0, true, Infinity); // sink.record([...], line) per record
 */
export class DelimitedParser {
  /** 1-based line number at the start of the next text to parse. */
  line = 1;
  /** True when the last `parse` stopped because the next record needs more text. */
  needMore = false;
  /** The previous buffer ended on CR: a LF starting the next one belongs to that line break. */
  private afterCR = false;
  /**
   * Lines before this one belong to a multi-line record already rejected and reported: a
   * record re-read from inside it that fails again is the same malformed record, not another.
   */
  private reportedUntil = 0;
  /** Resynchronising after an overlong first line: drop text up to the next line break. */
  private discarding = false;
  private readonly delim: string;
  private readonly delimCode: number;

  get delimiter(): string {
    return this.delim;
  }

  /** Whether backslashes escape (see the file's comment). */
  get escapes(): boolean {
    return this.backslash;
  }

  /**
   * The line of the next record when the parser stands between records in its initial state
   * (nothing held back, no line being dropped, no rejected record being re-read): text from
   * there parses the same in a fresh parser. Null otherwise.
   */
  boundary(): number | null {
    if (this.needMore || this.discarding || this.afterCR || this.reportedUntil > this.line) return null;
    return this.line;
  }

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
    private readonly sink: ParserSink,
    private readonly backslash = false,
    readonly quoteEscape: QuoteEscape = 'none',
  ) {
    if (backslash && quoteEscape !== 'none') throw new RangeError('one escape character at most');
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError('delimiter must be one character other than a quote or line break');
    }
    this.delim = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
  }

  /**
   * Parses records from `s` starting at `from`, stopping after `maxRecords` records (skips
   * included) or before a record that needs more text. `isEnd` says `s` ends the input.
   * Returns the index where parsing stopped; when `needMore` is set, the caller must pass
   * `s.slice(returned)` followed by more text next time.
   */
  parse(s: string, from: number, isEnd: boolean, maxRecords: number): number {
    const len = s.length;
    const delim = this.delim;
    const dc = this.delimCode;
    const max = this.maxRecordChars;
    let pos = from;
    this.needMore = false;
    if (pos < len && this.afterCR) {
      if (s.charCodeAt(pos) === LF) pos++;
      this.afterCR = false;
    }
    if (this.discarding) {
      pos = this.skipLine(s, pos, isEnd);
      if (this.discarding) return len;
    }
    let line = this.line;
    // Next delimiter / LF / CR at or after the position they were searched from; `len` if none.
    let nD = -1;
    let nLF = -1;
    let nCR = -1;
    let count = 0;

    while (pos < len && count < maxRecords) {
      let c = s.charCodeAt(pos);
      if (c === LF || c === CR) {
        // An empty line: ignored, but counted for line numbers.
        pos++;
        line++;
        if (c === CR) {
          if (pos < len) {
            if (s.charCodeAt(pos) === LF) pos++;
          } else if (!isEnd) this.afterCR = true;
        }
        continue;
      }
      const recStart = pos;
      const recLine = line;
      const limit = pos + max;
      const row: Cell[] = [];
      const backslash = this.backslash;
      const qesc = this.quoteEscape !== 'none';
      let status = OK;

      fields: for (;;) {
        let value: string | null;
        if (qesc && s.charCodeAt(pos) === QUOTE && s.charCodeAt(pos + 1) === N_CHAR && isFieldEnd(s.charCodeAt(pos + 2), dc, pos + 2, len)) {
          if (pos + 2 === len && !isEnd) {
            status = NEED_MORE; // `"N` then the delimiter, a line break or more of a value
            break;
          }
          value = null; // MySQL's NULL: `"N`, unquoted
          pos += 2;
        } else if (pos < len && s.charCodeAt(pos) === QUOTE) {
          // RFC 4180 §2.5–2.7: quoted field; jump from quote to quote.
          const contentStart = pos + 1;
          let p = contentStart;
          let seg = p;
          value = '';
          let q: number;
          for (;;) {
            q = s.indexOf('"', p);
            if (q === -1 || q >= limit) {
              if (q === -1 && len <= limit) status = isEnd ? UNCLOSED : NEED_MORE;
              else status = UNCLOSED;
              break fields;
            }
            if (q + 1 === len && !isEnd) {
              status = NEED_MORE; // `"` or `""`: the next character decides
              break fields;
            }
            if (backslash && escapedAt(s, q, contentStart)) {
              p = q + 1; // `\"`: a quote of the data, undone with the other escapes below
              continue;
            }
            if (!backslash && s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(seg, q + 1);
              p = q + 2;
              seg = p;
              continue;
            }
            if (qesc) {
              const e = s.charCodeAt(q + 1);
              if (e === ZERO) {
                value += `${s.slice(seg, q)}\0`;
                p = q + 2;
                seg = p;
                continue;
              }
              if (e === LF || e === CR) {
                // An escaped line break, or the closing quote and the record's end: a record starts after.
                const next = e === CR && s.charCodeAt(q + 2) === LF ? q + 3 : q + 2;
                const starts = next + 2 >= len && !isEnd ? null : recordStarts(s, next, dc, len, this.quoteEscape === 'optionally', isEnd);
                if (starts === null) {
                  status = NEED_MORE;
                  break fields;
                }
                if (!starts) {
                  value += `${s.slice(seg, q)}${e === CR ? '\r' : '\n'}`;
                  p = q + 2; // a LF after an escaped CR is the value's own
                  seg = p;
                  continue;
                }
              }
            }
            value += s.slice(seg, q);
            if (backslash && value.includes('\\')) value = unescapeBackslashes(value);
            break;
          }
          // Line breaks inside the quotes still count as lines of the file.
          for (let a = contentStart; ; a = nLF + 1) {
            if (nLF < a) nLF = indexOr(s, '\n', a, len);
            if (nLF >= q) break;
            line++;
          }
          for (let a = contentStart; ; a = nCR + 1) {
            if (nCR < a) nCR = indexOr(s, '\r', a, len);
            if (nCR >= q) break;
            if (s.charCodeAt(nCR + 1) !== LF) line++; // a lone CR; CRLF was counted by its LF
          }
          pos = q + 1;
          if (pos < len) {
            c = s.charCodeAt(pos);
            if (c !== dc && c !== LF && c !== CR) {
              // Text after the closing quote (`"abc"def`): kept literally, as Excel does.
              if (nD < pos) nD = indexOr(s, delim, pos, len);
              if (nLF < pos) nLF = indexOr(s, '\n', pos, len);
              if (nCR < pos) nCR = indexOr(s, '\r', pos, len);
              const end = nD < nLF ? (nD < nCR ? nD : nCR) : nLF < nCR ? nLF : nCR;
              value += s.slice(pos, end);
              pos = end;
            }
          }
        } else {
          if (nD < pos) nD = indexOr(s, delim, pos, len);
          if (nLF < pos) nLF = indexOr(s, '\n', pos, len);
          if (nCR < pos) nCR = indexOr(s, '\r', pos, len);
          const end = nD < nLF ? (nD < nCR ? nD : nCR) : nLF < nCR ? nLF : nCR;
          value = s.slice(pos, end);
          pos = end;
          if (backslash && value.includes('\\')) value = value === '\\N' ? null : unescapeBackslashes(value);
        }
        // `pos` is now on the field's terminator: a delimiter, a line break or the buffer end.
        if (pos < len && s.charCodeAt(pos) === dc) {
          if (pos >= limit) {
            status = TOO_LONG;
            break;
          }
          row.push(value);
          pos++;
          continue;
        }
        if (pos === len) {
          if (len > limit) status = TOO_LONG;
          else if (!isEnd) status = NEED_MORE;
        } else if (pos > limit) status = TOO_LONG;
        if (status === OK) row.push(value);
        break;
      }

      if (status === OK) {
        if (pos < len) {
          // Consume the line break that ended the record.
          if (s.charCodeAt(pos) === CR) {
            pos++;
            if (pos < len) {
              if (s.charCodeAt(pos) === LF) pos++;
            } else if (!isEnd) this.afterCR = true;
          } else pos++;
        }
        line++;
        count++;
        if (this.sink.record(row, recLine, recLine < this.reportedUntil, line > recLine + 1) || line === recLine + 1) continue;
        // The lines of this rejected record are re-read; their own failures are not new skips.
        if (line > this.reportedUntil) this.reportedUntil = line;
        this.afterCR = false; // the line break just consumed is given back
      } else if (status === NEED_MORE) {
        line = recLine;
        pos = recStart;
        this.needMore = true;
        break;
      } else {
        count++;
        this.sink.skip(status === UNCLOSED ? 'unclosed quote' : 'record too long', recLine);
      }
      // Resynchronise at the line after the record's first line; caches may now be ahead.
      this.line = recLine;
      this.discarding = true;
      pos = this.skipLine(s, recStart, isEnd);
      line = this.line;
      nD = nLF = nCR = -1;
      if (this.discarding) return len;
    }
    this.line = line;
    return pos;
  }

  /** Drops text through the next line break; clears `discarding` once it is found. */
  private skipLine(s: string, from: number, isEnd: boolean): number {
    const len = s.length;
    const lf = indexOr(s, '\n', from, len);
    const cr = indexOr(s, '\r', from, len);
    const nl = lf < cr ? lf : cr;
    if (nl === len) {
      if (isEnd) this.discarding = false;
      return len;
    }
    this.discarding = false;
    this.line++;
    if (nl === cr) {
      if (nl + 1 < len) return s.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1;
      if (!isEnd) this.afterCR = true;
    }
    return nl + 1;
  }
}

/** `s.indexOf(x, from)`, or `len` when absent, so that "none" sorts after every position. */
function indexOr(s: string, x: string, from: number, len: number): number {
  const i = s.indexOf(x, from);
  return i === -1 ? len : i;
}
