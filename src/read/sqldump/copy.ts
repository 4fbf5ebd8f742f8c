/**
 * The rows of `COPY ... FROM stdin` in PostgreSQL's text format (PostgreSQL 15 manual, COPY,
 * "Text Format"): one row per line, fields split by the delimiter (a tab unless the COPY says
 * otherwise), `\N` for NULL, backslash escapes for the rest. pg_dump writes nothing else.
 */
import type { Cell } from '../types.js';
import { decodePgEscapes } from './dialect.js';

export interface CopyFormat {
  /** One character; a tab by default. */
  delimiter: string;
  /** The raw text that stands for NULL, compared before de-escaping; `\N` by default. */
  nullText: string;
}

export const DEFAULT_COPY_FORMAT: CopyFormat = { delimiter: '\t', nullText: '\\N' };

/**
 * Splits one data line into cells.
 *
 * @example
 * decodeCopyLine('1\tO\'Brien\t\\N\tC:\\\\temp', DEFAULT_COPY_FORMAT) // ['1', "O'Brien", null, 'C:\\temp']
 */
export function decodeCopyLine(line: string, format: CopyFormat): Cell[] {
  const { delimiter, nullText } = format;
  // A backslash may escape a delimiter: only then is a character-by-character split needed.
  const raw = line.indexOf('\\') === -1 ? line.split(delimiter) : splitEscaped(line, delimiter);
  const cells: Cell[] = new Array<Cell>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const f = raw[i]!;
    if (f === nullText) cells[i] = null;
    else cells[i] = f.indexOf('\\') === -1 ? f : decodePgEscapes(f, true);
  }
  return cells;
}

function splitEscaped(line: string, delimiter: string): string[] {
  const d = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92) i++;
    else if (c === d) {
      fields.push(line.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(line.slice(start));
  return fields;
}
