/**
 * Parsing a block of delimited text on its own: the text between two record boundaries of a
 * table whose shape is decided (see `DelimitedStream.boundary`), on whichever thread holds it.
 * The result is the same as the whole-file reader's for those records, as long as the block
 * really starts at a boundary, which its caller knows only once the blocks before it are
 * parsed: `clean` says whether the block also ends at one, so that the next block's own parse
 * can be trusted. Positions are relative to the block (its first line is 1, its first record 1).
 */
import { DelimitedParser, type QuoteEscape, type RecordSkipReason } from './parser.js';
import type { Cell } from '../types.js';

/** What a block parser needs to know of its table. Structured-clone friendly. */
export interface BlockShape {
  delimiter: string;
  /** Backslash escapes inside and outside quotes (MySQL's ENCLOSED BY exports). */
  escape: boolean;
  /** The quote as MySQL's escape character (`ESCAPED BY '"'`). */
  quoteEscape: QuoteEscape;
  /** Fields per record, from the table's first row. */
  expected: number;
  /** The first row ended with a delimiter: records one field shorter are accepted. */
  headerTrailingEmpty: boolean;
  /** A field that is this bare word (`NULL` or `\N`) is absent (see `bareNullWord`). */
  nullWord: string | undefined;
  maxRecordChars: number;
}

interface ParsedBlock {
  /** The records accepted, unless they went to `onRows`. */
  rows: Cell[][];
  /** Records accepted. */
  accepted: number;
  /** Skipped records, in order: the reason, the 1-based line and record number within the block. */
  skips: { reason: RecordSkipReason | 'field count'; line: number; record: number }[];
  /** Line breaks consumed: the next block's first line is this block's first plus `lines`. */
  lines: number;
  /** Records numbered, skips included. */
  records: number;
  /** The block ended between records, in the parser's initial state. */
  clean: boolean;
}

/**
 * A record against the table's shape, as the whole-file reader checks it: the expected count,
 * or one more with an empty last field (a trailing delimiter, dropped here), or one fewer when
 * the first row itself ended with a delimiter.
 */
export function fitShape(fields: Cell[], expected: number, headerTrailingEmpty: boolean): boolean {
  const k = fields.length;
  if (k === expected) return true;
  if (k === expected + 1 && fields[k - 1] === '') {
    fields.pop();
    return true;
  }
  return k === expected - 1 && headerTrailingEmpty;
}

/**
 * psql's `(N rows)` footer under unaligned output (`psql -A`) read as delimited text, which
 * it is when no value of it spans lines (texttable/unaligned.ts): no record, and no skip.
 */
export function isPsqlFooterRecord(fields: Cell[], delimiter: string, expected: number): boolean {
  return delimiter === '|' && expected !== 1 && fields.length === 1 && /^\(\d+ rows?\)$/.test(fields[0] ?? '');
}

/** Fields of the sample that are the bare word NULL (no quote around it) before the delimited CSV's readers trust it as a null. */
const MIN_BARE_NULLS = 3;

/**
 * The word a quoted CSV writes NULL with, when whole unquoted fields of `sample` are it at least
 * `MIN_BARE_NULLS` times: `NULL` (MySQL's `INTO OUTFILE … ESCAPED BY ''`, the usual recipe for a
 * CSV Excel opens, and SQL clients' CSV exports) or `\N` (DuckDB's and pandas' `NULLSTR '\N'`,
 * Hive's and Spark's default), the more frequent of the two. A quoted `"NULL"` is not counted;
 * once the file is taken to write NULL so, the readers make every field of that word absent,
 * quoted or not (the parser does not tell them apart).
 */
export function bareNullWord(sample: string, delimiter: string): string | undefined {
  const d = delimiter.replace(/[\\^\]-]/g, '\\$&');
  const count = (word: string): number => (sample.match(new RegExp(`(?:^|[${d}\\n])${word}(?=[${d}\\r\\n]|$)`, 'g')) ?? []).length;
  const nulls = count('NULL');
  const backslashed = count('\\\\N');
  if (Math.max(nulls, backslashed) < MIN_BARE_NULLS) return undefined;
  return backslashed > nulls ? '\\N' : 'NULL';
}

/** Fields that are the null word made absent, in place. */
export function nullWords(fields: Cell[], word: string): void {
  for (let i = 0; i < fields.length; i++) if (fields[i] === word) fields[i] = null;
}

/** Records handed to `onRows` at a time: few enough that they die young (a block's worth held at once doubled the collector's work). */
const CHUNK = 1024;

/**
 * Parses `text`, a block that starts at a record boundary of a table of this shape. With
 * `onRows`, the accepted records go there as they come, a thousand at a time, instead of into `rows`.
 */
export function parseBlock(text: string, shape: BlockShape, onRows?: (rows: Cell[][]) => void): ParsedBlock {
  const out: ParsedBlock = { rows: [], accepted: 0, skips: [], lines: 0, records: 0, clean: false };
  const { expected, headerTrailingEmpty } = shape;
  const parser = new DelimitedParser(
    shape.delimiter,
    shape.maxRecordChars,
    {
      record(fields, line, alreadyReported) {
        // The same decisions as the whole-file reader's once its table has started.
        if (alreadyReported && !fitShape(fields, expected, headerTrailingEmpty)) return false;
        if (isPsqlFooterRecord(fields, shape.delimiter, expected)) return true;
        const no = ++out.records;
        if (!fitShape(fields, expected, headerTrailingEmpty)) {
          out.skips.push({ reason: 'field count', line, record: no });
          return false;
        }
        if (shape.nullWord !== undefined) nullWords(fields, shape.nullWord);
        out.rows.push(fields);
        out.accepted++;
        if (onRows && out.rows.length >= CHUNK) {
          onRows(out.rows);
          out.rows = [];
        }
        return true;
      },
      skip(reason, line) {
        out.skips.push({ reason, line, record: ++out.records });
      },
    },
    shape.escape,
    shape.quoteEscape,
  );
  const end = parser.parse(text, 0, false, Infinity);
  if (onRows && out.rows.length > 0) {
    onRows(out.rows);
    out.rows = [];
  }
  out.lines = parser.line - 1;
  out.clean = end === text.length && parser.boundary() !== null;
  return out;
}
