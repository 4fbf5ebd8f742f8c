/**
 * recognise: columns → data classes, by header and by value.
 * Values decide when the header lies or is missing; every decision carries its evidence
 * (the share of sampled values that validate).
 */
import { DataClasses, type DataClassName } from '../dataclasses.js';
import type { Cell } from '../read/index.js';
import { foldHeader, kindFromHeader, namesOtherDate, safeColumnName } from './headers.js';
import { inferUnnamed } from './unnamed.js';
import { FieldKinds, type FieldKind } from './kinds.js';
import { COLUMN_NORMALISERS, NORMALISERS, VALUE_KINDS, passwordShare } from './validators.js';

export { FieldKinds, COMPOSITE_CLASSES, type FieldKind } from './kinds.js';
export { kindFromHeader, foldHeader, safeColumnName } from './headers.js';
export { NORMALISERS, columnNormaliser, type Normaliser } from './validators.js';

export interface ColumnSpec {
  index: number;
  name: string;
  kind: FieldKind | null;
  dataClass: DataClassName | null;
  /** Share (0..1) of sampled non-empty values that validate for `kind`; 0 when none sampled. */
  confidence: number;
  /** What decided: the header, the values, both agreeing, or nothing. */
  evidence: 'header' | 'values' | 'header+values' | 'none';
}

export interface Recognition {
  /** For delimited text: whether the held-back first row was a header. */
  hasHeader: boolean;
  columns: ColumnSpec[];
}

const SAMPLE_VALUES = 200;
/** Kinds with a checksum or tight syntax: their header is trusted only if values agree. */
const CHECKED_KINDS: ReadonlySet<FieldKind> = new Set(['email', 'phone', 'nir', 'iban', 'siret', 'siren', 'dob', 'ip', 'postcode']);

function columnValues(sample: Cell[][], i: number): string[] {
  const out: string[] = [];
  for (const row of sample) {
    const v = row[i];
    if (v != null && v.trim() !== '') {
      out.push(v);
      if (out.length === SAMPLE_VALUES) break;
    }
  }
  return out;
}

/** Share of `values` that validate for `kind`; `named`: the header says so, the column's normaliser applies. */
function share(kind: FieldKind, values: string[], named = false): number {
  if (values.length === 0) return 0;
  const norm = (named ? COLUMN_NORMALISERS : NORMALISERS)[kind];
  let n = 0;
  for (const v of values) if (norm(v) !== null) n++;
  return n / values.length;
}

function bestValueKind(values: string[]): { kind: FieldKind | null; share: number } {
  let best: FieldKind | null = null;
  let bestShare = 0;
  for (const k of VALUE_KINDS) {
    const s = share(k, values);
    if (s > bestShare) {
      best = k;
      bestShare = s;
    }
  }
  return { kind: best, share: bestShare };
}

function isFreeText(values: string[]): boolean {
  if (values.length === 0) return false;
  let total = 0;
  let spaced = 0;
  for (const v of values) {
    total += v.length;
    if (v.includes(' ')) spaced++;
  }
  return total / values.length >= 20 && spaced / values.length >= 0.5;
}

/**
 * Tables of things, not people (`country`, `city`, `category`, `language`, `film`, `produit`):
 * their `name`, `city` or `title` columns name the thing. Found by the table's own name (a
 * dump's table, a workbook's sheet, a file's base name), singular or plural, French or English.
 */
const REFERENCE_TABLES = new Set(
  (
    'country pays city cities ville commune region departement department district state province category categorie ' +
    'categories genre tag label language langue film movie title product produit article item catalogue catalog ' +
    'store magasin boutique shop agence inventory stock currency devise status statut type unit unite'
  ).split(' '),
);

function isReferenceTable(table: string | undefined): boolean {
  if (!table) return false;
  // `dump.sql:public.city`, `book.xlsx:Pays`, `export/categories.csv`: the last name, folded.
  const last = table.split(/[:/\\]/).pop() ?? '';
  const base = foldHeader(
    last
      .replace(/\.(csv|tsv|txt|json|jsonl|ndjson|xlsx|sql|gz|zip)$/gi, '')
      .split('.')
      .pop() ?? '',
  );
  return REFERENCE_TABLES.has(base) || REFERENCE_TABLES.has(base.replace(/s$/, ''));
}

/** Kinds that only a person's record holds: in a table of things they are the thing's own name or place. */
const PERSON_KINDS: ReadonlySet<FieldKind> = new Set([
  'lastName',
  'firstName',
  'fullName',
  'city',
  'address',
  'postcode',
  'gender',
  'dob',
  'employer',
  'username',
]);

/**
 * Kinds of a closed set of values (civilities): a header alone (`title`, `titre`: of a film,
 * a job) does not make the column one; its values must agree.
 */
const CLOSED_KINDS: ReadonlySet<FieldKind> = new Set(['gender']);

function decideColumn(index: number, name: string, named: boolean, values: string[]): ColumnSpec {
  const spec = (kind: FieldKind | null, confidence: number, evidence: ColumnSpec['evidence']): ColumnSpec => {
    const cls = kind ? FieldKinds[kind] : null;
    return {
      index,
      name,
      kind,
      dataClass: cls ? DataClasses[cls] : null,
      confidence: Math.round(confidence * 1000) / 1000,
      evidence,
    };
  };
  const best = bestValueKind(values);
  let hk = named ? kindFromHeader(name) : null;
  if (hk && CLOSED_KINDS.has(hk) && values.length > 0 && share(hk, values, true) < 0.3) hk = null;
  if (hk) {
    if (values.length === 0) return spec(hk, 0, 'header');
    const hs = hk === 'password' ? 1 : share(hk, values, true);
    if (CHECKED_KINDS.has(hk)) {
      if (hs >= 0.3 && hs >= best.share - 0.2) return spec(hk, hs, 'header+values');
      // The header lies: the values are something else that validates well.
      if (best.kind && best.share >= 0.5) return spec(best.kind, best.share, 'values');
      return spec(hk, hs, 'header');
    }
    if (best.kind && best.share >= 0.8 && best.kind !== hk) return spec(best.kind, best.share, 'values');
    return spec(hk, hs, hs > 0 ? 'header+values' : 'header');
  }
  // A date under a header naming another date (`date_commande`) is no birth date.
  if (best.kind === 'dob' && named && namesOtherDate(name)) return spec(null, 0, 'none');
  if (best.kind && best.share >= 0.5) return spec(best.kind, best.share, 'values');
  const ps = passwordShare(values);
  if (ps >= 0.5) return spec('password', ps, 'values');
  if (isFreeText(values)) return spec('text', 1, 'values');
  return spec(null, 0, 'none');
}

/**
 * Decides, for one table, whether a held-back first row is a header, and each column's kind.
 * @example
 * recogniseTable({ columns: ['column_1'], headerRow: ['Courriel'], sample: [['a.b@free.fr']] })
 * // → { hasHeader: true, columns: [{ name: 'Courriel', kind: 'email', dataClass: 'Email addresses', ... }] }
 */
export function recogniseTable(input: { columns: string[]; headerRow?: Cell[]; sample: Cell[][]; table?: string }): Recognition {
  const { headerRow, sample } = input;
  const reference = isReferenceTable(input.table);
  const width = Math.max(input.columns.length, headerRow?.length ?? 0);
  const values: string[][] = [];
  for (let i = 0; i < width; i++) values.push(columnValues(sample, i));

  let hasHeader = false;
  if (headerRow) hasHeader = isHeader(headerRow, values, sample.length);

  const columns: ColumnSpec[] = [];
  const unnamedValues: string[][] = [];
  const rawNames: (string | null)[] = [];
  for (let i = 0; i < width; i++) {
    const fromHeader = hasHeader ? headerRow?.[i]?.trim() : undefined;
    const given = input.columns[i];
    // Generated (`column_3`) and positional (`[2]`, a table of arrays) names name nothing.
    const named = hasHeader ? !!fromHeader : !!given && !/^(column_\d+|(\[\d+\])+)$/.test(given);
    const raw = (hasHeader ? fromHeader : given) || `column_${i + 1}`;
    const name = safeColumnName(raw, i);
    const vals = hasHeader || !headerRow ? values[i]! : withFirst(headerRow[i], values[i]!);
    // Recognition reads the header as written; only the display name is masked.
    const decided = decideColumn(i, raw, named, vals);
    columns.push(reference && decided.kind && PERSON_KINDS.has(decided.kind) ? { ...nothing(i), name } : { ...decided, name });
    rawNames.push(named ? raw : null);
    unnamedValues.push(vals);
  }
  // Columns neither the header nor a checksum could decide: shape and neighbours.
  // (Free text found by its length only may still be a street address.)
  const undecided = columns.map((c, i) => (c.kind === null || (c.kind === 'text' && c.evidence === 'values')) && !(rawNames[i] && kindFromHeader(rawNames[i])));
  const headerless = rawNames.map((n) => n === null);
  if (reference) undecided.fill(false);
  // An address beside (a street, a city by header): five digits under an unknown name may be its postcode.
  const addressContext = columns.some((c) => c.kind === 'address' || c.kind === 'city');
  inferUnnamed(unnamedValues, undecided, headerless, rawNames, addressContext).forEach((u, i) => {
    if (!u) return;
    const c = columns[i]!;
    const cls = FieldKinds[u.kind];
    columns[i] = { ...c, kind: u.kind, dataClass: cls ? DataClasses[cls] : null, confidence: Math.round(u.confidence * 1000) / 1000, evidence: 'values' };
  });
  return { hasHeader, columns };
}

function nothing(index: number): ColumnSpec {
  return { index, name: '', kind: null, dataClass: null, confidence: 0, evidence: 'none' };
}

function withFirst(first: Cell | undefined, rest: string[]): string[] {
  return first != null && first.trim() !== '' ? [first, ...rest] : rest;
}

/**
 * A first row is a header when its cells name known fields, or when they fail to validate
 * where the column's values validate well; it is data when its cells validate like the rest.
 */
function isHeader(row: Cell[], values: string[][], sampleRows: number): boolean {
  let score = 0;
  let informative = 0;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i]?.trim() ?? '';
    const best = bestValueKind(values[i] ?? []);
    if (cell && kindFromHeader(cell)) score += 1;
    if (best.kind && best.share >= 0.5) {
      informative++;
      if (cell && NORMALISERS[best.kind](cell) !== null) score -= 2;
      else score += 1;
    }
  }
  if (score !== 0 || informative > 0) return score > 0;
  // Nothing tells either way (e.g. a file of free text): a header has distinct, non-numeric cells.
  const cells = row.map((c) => c?.trim() ?? '');
  if (sampleRows === 0) return cells.every((c) => c !== '' && !/^[\d\s.,+-]+$/.test(c));
  return new Set(cells).size === cells.length && cells.every((c) => /\p{L}/u.test(c) && c.length <= 64);
}
