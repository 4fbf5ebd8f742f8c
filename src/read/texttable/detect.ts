/**
 * Recognising a text table from the head of a file, before it is decoded: the sample is read
 * byte for byte (latin1), so sqlite3's box drawing shows as its UTF-8 bytes there.
 */
import { asciiRule, columnRule, isDecoration, isPsqlFooter, markdownRule, psqlRule, splitRow } from './grid.js';
import { looksUnaligned } from './unaligned.js';
import { looksVertical } from './vertical.js';

/** Lines of the head a table must start within (a transcript's prompts and statements may come first). */
const LEAD_LINES = 50;

/** `┌` and `│` as UTF-8 bytes read one by one, or as themselves (UTF-16 is decoded for detection). */
const BOX_TOP = /^(?:┌|\u00e2\u0094\u008c)(?:─|\u00e2\u0094\u0080)/;
const BOX_SIDE = /^(?:│|\u00e2\u0094\u0082)/;
/** `─` as UTF-8 bytes read one by one. */
const BOX_DASH = '\u00e2\u0094\u0080';
/** The first two UTF-8 bytes of the box-drawing characters (U+2500–U+257F), read one by one. */
const BOX_BYTES = '\u00e2\u0094';

/** A line of the sample (UTF-8 read byte for byte) as text. */
function utf8(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

/**
 * Whether the head of a file (`text` from `start`, its first non-blank character) holds a
 * text table within its first lines: a `+---+` rule, a `| … |` header and the same rule
 * again (mysql -t, sqlite3 `.mode table`); a box-drawing top and side (sqlite3 `.mode box`);
 * a psql header over its `---+---` rule (a single column only with its `(N rows)` footer);
 * a Markdown header over its delimiter row with as many cells; a sqlite3 `.mode column` header
 * over its runs of `-`; psql -A and sqlite3 .mode list and tabs (unaligned.ts). Delimited text and prose
 * without a table never look so.
 *
 * @example
 * looksLikeTextTable('+----+\n| id |\n+----+\n| 1  |\n+----+\n', 0) // true
 */
export function looksLikeTextTable(text: string, start: number): boolean {
  // From the start of the line: psql's header opens with a space.
  const from = text.lastIndexOf('\n', start) + 1;
  const lines = text.slice(from, from + 64 * 1024).split('\n', LEAD_LINES + 3);
  const at = (i: number): string => {
    const s = lines[i] ?? '';
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  // psql's unicode frames (`─[ RECORD 1 ]`, `│`) read as UTF-8 again.
  const head = lines.slice(0, LEAD_LINES + 2).map((_, i) => (at(i).includes(BOX_BYTES) ? utf8(at(i)) : at(i)));
  if (looksVertical(head)) return true;
  for (let i = 0; i < Math.min(lines.length, LEAD_LINES); i++) {
    const s = at(i);
    const next = at(i + 1);
    if (s[0] === '+') {
      const g = asciiRule(s);
      if (typeof g === 'object' && next[0] === '|' && at(i + 2) === s) return true;
    } else if (BOX_TOP.test(s)) {
      if (BOX_SIDE.test(next)) return true;
    } else if ((next[0] === '-' || next.startsWith(BOX_DASH)) && s[0] === ' ') {
      // psql's linestyle=unicode: its rule and separators read as UTF-8 again.
      const unicode = next[0] !== '-';
      const g = psqlRule(unicode ? utf8(next) : next);
      if (typeof g !== 'object' || splitRow(unicode ? utf8(s) : s, g)?.positional !== true) continue;
      if (g.columns > 1 || lines.some((l) => isPsqlFooter(l.endsWith('\r') ? l.slice(0, -1) : l))) return true;
    } else if (next[0] === '-' && s.length > 0 && !isDecoration(s)) {
      // sqlite3 .mode column: its header over runs of `-` two spaces apart, by characters.
      const g = columnRule(next);
      if (typeof g === 'object' && splitRow(utf8(s), g) !== undefined) return true;
    } else if (s.includes('|') && next.includes('-') && !isDecoration(s)) {
      const g = markdownRule(next);
      if (typeof g === 'object' && g.columns > 1 && splitRow(s, g) !== undefined) return true;
    }
  }
  // psql -A and sqlite3 .mode list: as far as the sample goes, its last line perhaps cut short.
  const sample = text.slice(from, from + 64 * 1024).split('\n');
  return looksUnaligned(sample.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))) !== undefined;
}

/** A token of sqlite3's `.mode quote`: an SQL literal (a string with `''` inside, a number, NULL, a blob). */
const QUOTE_LITERAL = String.raw`(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NULL|X'[0-9A-Fa-f]*')`;
const QUOTE_LINE = new RegExp(`^${QUOTE_LITERAL}(?:,${QUOTE_LITERAL})+$`);
/** sqlite3's `.mode tcl`: every value a C string (`"Lef\303\250vre"`), a space between them. */
const TCL_LINE = /^"(?:[^"\\]|\\.)*"(?: "(?:[^"\\]|\\.)*")+ ?$/;

/**
 * Query results printed in a form that Vigie does not read, and how to print them instead: the
 * message of the refusal (detect.ts throws it as `VIGIE_BAD_FORMAT`), or undefined. psql's
 * `format=latex`, `latex-longtable`, `troff-ms` and `asciidoc`, `psql -A -x`, psql's
 * `border=0`, aligned or `-x`; sqlite3's
 * `.mode quote`, `.mode tcl` (values as C strings, octal escapes) and `.mode ascii`.
 * Each one read as delimited text gave wrong values without a word (quotes and markup kept in
 * the cells, escapes left as they are) or failed on its line breaks.
 *
 * @example
 * clientOutputRefusal("'id','nom'\n1,'Dupont'\n", 0) // "sqlite3 .mode quote output or other text quoted with ' …"
 */
export function clientOutputRefusal(text: string, start: number): string | undefined {
  const from = text.lastIndexOf('\n', start) + 1;
  const head = text.slice(from, from + 64 * 1024);
  const lines = head.split('\n', LEAD_LINES + 3).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let i = 0;
  while (i < lines.length && ((lines[i] ?? '').trim() === '' || isDecoration(lines[i] ?? ''))) i++;
  const first = lines[i] ?? '';
  const csv = 'print it again with psql --csv';
  if (/^\\begin\{(?:tabular|longtable)\}/.test(first)) return `psql LaTeX output (format=latex or latex-longtable), not read: ${csv}`;
  if (first === '.LP' || first === '.TS') return `psql troff-ms output (format=troff-ms), not read: ${csv}`;
  if (/^\[options="header"/.test(first) || (first === '|====' && i === 0)) return `psql asciidoc output (format=asciidoc), not read: ${csv}`;
  // psql's border=0 rule: runs of `-` one space apart (sqlite3's .mode column puts two).
  if (first.trim() !== '' && /^-+(?: -+)+ *$/.test(lines[i + 1] ?? '')) {
    return `psql aligned output with border=0 (columns apart by one space only), not read: ${csv}, or with the default border`;
  }
  if (/^\* Record \d+ *$/.test(first)) {
    return `psql -x output with border=0 (names and values apart by spaces only), not read: ${csv}, or -x with the default border`;
  }
  if (QUOTE_LINE.test(first) && first.includes("'")) {
    // A CSV quoted with ' looks the same: the advice holds for both.
    return 'sqlite3 .mode quote output or other text quoted with \' (values as SQL literals), not read: print it again with .mode csv, or export it with " as the quote';
  }
  if (TCL_LINE.test(first)) return 'sqlite3 .mode tcl output (values as C strings), not read: print it again with .mode csv';
  // `.mode ascii` has no line breaks: records end at 0x1E. Its first records each hold a 0x1F
  // and no line feed (a text export of binary values holds both bytes here and there, between lines).
  const records = head.split('\x1e').slice(0, 3);
  if (records.length === 3 && records.every((r) => r.includes('\x1f') && !r.includes('\n'))) {
    return 'sqlite3 .mode ascii output (0x1F between values, 0x1E between records), not read: print it again with .mode csv';
  }
  if (looksUnaligned(head.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)))?.kind === 'vertical') {
    return 'psql -A -x output (records one name|value per line), not read: print it again with psql --csv (without -x)';
  }
  return undefined;
}
