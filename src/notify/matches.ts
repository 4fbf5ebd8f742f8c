/**
 * Reads a `vigie match` output: which of the organisation's customers are in the leak, and
 * with what. CSV with the header `id,matched,data_classes` (lists joined with `;`) or JSON, an
 * array of `{"id","matched":[...],"dataClasses":[...]}`. Customer ids are the organisation's
 * own, untrusted here: errors name the line, never the id.
 */
import Papa from 'papaparse';
import type { DataClassName } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import { classKey } from '../guidance/index.js';

export interface MatchRow {
  /** Where the customer was read: `line 4` (CSV) or `element 3` (JSON). */
  where: string;
  id: string;
  matched: string[];
  dataClasses: DataClassName[];
}

const MAX_ID = 200;
const KIND = /^[A-Za-z0-9][A-Za-z0-9 +_.-]{0,39}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

function fail(file: string, where: string, why: string): VigieError {
  return new VigieError('VIGIE_SYNTAX', `${file}, ${where}: ${why}`);
}

/** `joined`: the CSV form, whose lists are `;`-joined strings; the JSON form has arrays. */
function row(file: string, where: string, joined: boolean, id: unknown, matched: unknown, classes: unknown): MatchRow {
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_ID || CONTROL.test(id)) {
    throw fail(file, where, `the id must be 1 to ${MAX_ID} characters without control characters`);
  }
  const list = (v: unknown, what: string): string[] => {
    const items = joined && typeof v === 'string' ? v.split(';') : v;
    if (!Array.isArray(items) || !items.every((x) => typeof x === 'string')) throw fail(file, where, `${what} must be a list of names`);
    return (items as string[]).map((x) => x.trim()).filter((x) => x !== '');
  };
  const kinds = list(matched, 'matched');
  if (!kinds.every((k) => KIND.test(k))) throw fail(file, where, 'matched holds something that is not an identifier kind (email, phone, nir...)');
  const names = list(classes, 'data classes');
  if (names.length === 0) throw fail(file, where, 'no data class: a customer in the leak has at least one');
  for (const n of names)
    if (!classKey(n)) throw fail(file, where, `unknown data class ${JSON.stringify(n.slice(0, 60))} (use Vigie's names, such as Email addresses)`);
  return { where, id: id.trim(), matched: kinds, dataClasses: [...new Set(names)] as DataClassName[] };
}

/**
 * Parses the text of a match file; `file` names it in errors. Ids must be unique.
 * @example parseMatches('id,matched,data_classes\nC1,email,Email addresses;Names\n', 'm.csv')
 */
export function parseMatches(text: string, file: string): MatchRow[] {
  const body = text.replace(/^\uFEFF/, '');
  let rows: MatchRow[];
  if (/^[[{]/.test(body.trimStart())) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      throw new VigieError('VIGIE_SYNTAX', `${file}: not valid JSON (${(e as Error).message.replace(/"[^"]*"/g, '…').slice(0, 80)})`);
    }
    if (!Array.isArray(data)) throw fail(file, 'top level', 'expected an array of matches');
    rows = data.map((x, i) => {
      if (typeof x !== 'object' || x === null) throw fail(file, `element ${i + 1}`, 'expected an object');
      const o = x as Record<string, unknown>;
      return row(file, `element ${i + 1}`, false, o['id'], o['matched'] ?? [], o['dataClasses']);
    });
  } else {
    const parsed = Papa.parse<string[]>(body, { skipEmptyLines: true });
    const [header, ...lines] = parsed.data;
    if (header?.map((h) => h.trim().toLowerCase()).join(',') !== 'id,matched,data_classes') {
      throw fail(file, 'line 1', 'expected the header id,matched,data_classes');
    }
    const bad = parsed.errors[0];
    if (bad) throw fail(file, `line ${(bad.row ?? 0) + 1}`, bad.message.replace(/"[^"]*"/g, '…'));
    rows = lines.map((cells, i) => {
      if (cells.length !== 3) throw fail(file, `line ${i + 2}`, `expected 3 fields, found ${cells.length}`);
      return row(file, `line ${i + 2}`, true, cells[0], cells[1], cells[2]);
    });
  }
  const seen = new Map<string, string>();
  for (const r of rows) {
    const first = seen.get(r.id);
    if (first !== undefined) throw fail(file, r.where, `the same id as ${first}: ids must be unique`);
    seen.set(r.id, r.where);
  }
  return rows;
}
