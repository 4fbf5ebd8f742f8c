/**
 * Guessing the dialect of delimited text from its first records: which delimiter, which line
 * endings. Quote-aware: each candidate is tried with the real parser, so a `;` or `,` inside a
 * quoted address does not count.
 */
import { DelimitedParser, type QuoteEscape } from './parser.js';

/** The delimiters Vigie recognises, in tie-break order (tabs and semicolons rarely occur in data). */
export const DELIMITERS = ['\t', ';', ',', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** How many records of the sample are compared. */
const SAMPLE_RECORDS = 40;
/** A candidate is consistent when at least this share of sampled records has its modal field count. */
const CONSISTENT = 0.8;

interface Candidate {
  delimiter: Delimiter;
  /** Modal field count. */
  mode: number;
  /** Share of sampled records with the modal count. */
  share: number;
}

/**
 * Picks the delimiter whose field counts agree across the sample's records.
 *
 * Rule: among candidates splitting records into ≥ 2 fields with ≥ 80 % of records at the
 * modal count, the one giving the most fields wins (a `;` file whose addresses each hold one
 * comma has a consistent `,` count of 2, but `;` gives 9); if none is consistent, the best
 * `share × fields`; if no candidate splits anything, the file has one column and the
 * candidate that occurs least is returned, so no data character is mistaken for a delimiter.
 * Ties go to the order of {@link DELIMITERS}.
 *
 * @example detectDelimiter('nom;prénom\nDurand;Zoé\n', true) // ';'
 */
export function detectDelimiter(sample: string, isEnd: boolean): Delimiter {
  const candidates = DELIMITERS.map((d) => measure(sample, isEnd, d));
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (c.mode >= 2 && c.share >= CONSISTENT && (best === undefined || c.mode > best.mode)) best = c;
  }
  if (best) return best.delimiter;
  for (const c of candidates) {
    if (c.mode >= 2 && (best === undefined || c.share * c.mode > best.share * best.mode)) best = c;
  }
  if (best) return best.delimiter;
  for (const c of candidates) {
    if (best === undefined || c.share > best.share) best = c;
  }
  return best?.delimiter ?? ',';
}

function measure(sample: string, isEnd: boolean, delimiter: Delimiter): Candidate {
  const counts: number[] = [];
  // Read as it would be: MySQL's `"N` opens no quote in a file that escapes with the quote.
  const sink = { record: (fields: unknown[]) => counts.push(fields.length) > 0, skip: () => undefined };
  const parser = new DelimitedParser(delimiter, sample.length + 1, sink, false, quoteEscaped(sample, delimiter));
  let pos = 0;
  while (counts.length < SAMPLE_RECORDS && pos < sample.length) {
    pos = parser.parse(sample, pos, isEnd, SAMPLE_RECORDS - counts.length);
    if (parser.needMore) break;
  }
  const freq = new Map<number, number>();
  let mode = 1;
  let top = 0;
  for (const n of counts) {
    const f = (freq.get(n) ?? 0) + 1;
    freq.set(n, f);
    if (f > top || (f === top && n > mode)) {
      top = f;
      mode = n;
    }
  }
  return { delimiter, mode, share: counts.length === 0 ? 0 : top / counts.length };
}

/** The line endings seen in a sample, for the report. */
export type LineEnding = 'crlf' | 'lf' | 'cr' | 'mixed' | 'none';

/** Names the line endings of `sample` (quoted line breaks included: they are rare and alike). */
export function detectLineEnding(sample: string): LineEnding {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = sample.indexOf('\n'); i !== -1; i = sample.indexOf('\n', i + 1)) {
    if (i > 0 && sample.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  for (let i = sample.indexOf('\r'); i !== -1; i = sample.indexOf('\r', i + 1)) {
    // A CR at the very end may be the first half of a CRLF cut by the sample.
    if (i + 1 < sample.length && sample.charCodeAt(i + 1) !== 10) cr++;
  }
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'cr';
}

/**
 * Whether quoted delimited text escapes with a backslash, as MySQL writes it (`SELECT … INTO
 * OUTFILE … ENCLOSED BY '"'`, `mysqldump --tab --fields-enclosed-by`): `\"` inside a value,
 * `\N` for NULL, no doubled quote. Needs quoted fields (a quarter of them at least), and an
 * escape only this style writes (a whole unquoted field `\N`, or `\"` inside a value);
 * against: a doubled quote inside a field (RFC 4180), or more backslashes before other
 * characters (Windows paths) than before the escape letters. The sample's last line may be
 * cut: it counts the same.
 *
 * @example backslashQuoted('1,"dit \\"Lulu\\""\n2,\\N\n', ',') // true
 */
export function backslashQuoted(sample: string, delimiter: string): boolean {
  const d = delimiter === '\t' ? '\\t' : `\\${delimiter}`;
  // Its quotes enclose every string: a quarter of the fields at least open with one.
  const opened = (sample.match(new RegExp(`(?:^|[${d}\\n])"`, 'g')) ?? []).length;
  const fields = (sample.match(new RegExp(`[${d}\\n]`, 'g')) ?? []).length + (sample.endsWith('\n') ? 0 : 1);
  if (opened * 4 < fields) return false;
  // `""` that is not a whole empty field: RFC 4180's doubled quote.
  if (new RegExp(`(?:[^${d}\\n\\\\]"")|(?:""[^${d}\\r\\n"])`).test(sample)) return false;
  let strong = 0;
  let escapes = 0;
  let others = 0;
  for (let i = sample.indexOf('\\'); i !== -1 && i + 1 < sample.length; i = sample.indexOf('\\', i + 2)) {
    const c = sample.charAt(i + 1);
    if (c === '"') {
      const after = sample[i + 2];
      if (after !== undefined && after !== delimiter && after !== '\n' && after !== '\r') strong++;
      escapes++;
    } else if ('\\N0bnrtZ\n'.includes(c)) escapes++;
    else others++;
  }
  strong += (sample.match(new RegExp(`(?:^|[${d}\\n])\\\\N(?=[${d}\\r\\n]|$)`, 'g')) ?? []).length;
  return strong > 0 && others <= escapes;
}

/**
 * Whether quoted delimited text uses the quote as MySQL's escape character (`SELECT … INTO
 * OUTFILE … ENCLOSED BY '"' ESCAPED BY '"'`): a whole unquoted field `"N` (its NULL) followed
 * by another quoted field or the line's end, which RFC 4180 text writes only for a value that
 * begins with `N` and the delimiter. `'enclosed'` when the text starts with a quote (every
 * record does: each field is quoted or `"N`), `'optionally'` otherwise (numbers unquoted).
 *
 * @example quoteEscaped('"1","N"\n"2","N\n', ',') // 'enclosed'
 */
export function quoteEscaped(sample: string, delimiter: string): QuoteEscape {
  const d = delimiter === '\t' ? '\\t' : `\\${delimiter}`;
  if (!new RegExp(`(?:^|[${d}\\n])"N(?=[${d}]"|\\r?\\n|$)`).test(sample)) return 'none';
  return sample.startsWith('"') ? 'enclosed' : 'optionally';
}
