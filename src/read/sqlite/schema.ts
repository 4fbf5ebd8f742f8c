/**
 * What a database holds, from `sqlite_schema`: the ordinary tables read, and the rest said in
 * the first table's meta with why it is left; and the one query that reads a table.
 */
import type Database from 'better-sqlite3';

/** The schema's objects, in `sqlite_schema` order (that of their creation). */
interface Schema {
  tables: string[];
  /** What is not read and why, for the report (`notRead` meta); empty when everything is read. */
  notRead: string;
}

/** Names listed per kind in `notRead` before "and N more". */
const LISTED = 20;

/**
 * The ordinary tables, and what is left: views (queries over tables, whose rows are read from
 * those tables, and never executed), virtual tables (a module's code over its shadow tables,
 * which are ordinary tables and read), SQLite's own `sqlite_%` tables (sqlite_sequence,
 * sqlite_stat1: bookkeeping). Indexes and triggers hold no rows of their own.
 */
export function readSchema(db: Database.Database): Schema {
  const rows = db.prepare("SELECT type, name, sql FROM main.sqlite_schema WHERE type IN ('table', 'view')").raw(true).all() as [
    string,
    string,
    string | null,
  ][];
  const tables: string[] = [];
  const views: string[] = [];
  const virtual: string[] = [];
  const internal: string[] = [];
  for (const [type, name, sql] of rows) {
    if (type === 'view') views.push(name);
    else if (name.toLowerCase().startsWith('sqlite_')) internal.push(name);
    else if (/^\s*CREATE\s+VIRTUAL\s/i.test(sql ?? '')) virtual.push(name);
    else tables.push(name);
  }
  const notRead = [
    listed('views (never run)', views),
    listed('virtual tables (module not run, shadow tables read)', virtual),
    listed('internal tables', internal),
  ].filter((s) => s !== '');
  return { tables, notRead: notRead.join('; ') };
}

function listed(what: string, names: string[]): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, LISTED).join(', ');
  return `${what}: ${shown}${names.length > LISTED ? ` and ${names.length - LISTED} more` : ''}`;
}

/**
 * A table's stored columns, in order, from `pragma_table_xinfo`. Generated columns (hidden 2
 * and 3) are left out: computing them would run the schema's expressions, and what they hold
 * derives from the stored columns, which are read. `sqlite3 .dump` leaves them out too.
 */
export function tableColumns(db: Database.Database, table: string): string[] {
  const rows = db.prepare("SELECT name, hidden FROM pragma_table_xinfo(?, 'main')").raw(true).all(table) as [string, number][];
  return rows.filter(([, hidden]) => hidden === 0).map(([name]) => name);
}

/** SQLite's identifier quoting: double quotes, a quote inside doubled. */
function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** SQLite's most result columns (SQLITE_MAX_COLUMN): the size column needs one more. */
const MAX_RESULT_COLUMNS = 2000;

/**
 * The query reading a table: first the row's size (the sum of its values' `octet_length`,
 * read from the record header without loading any value), then each column, as NULL when
 * longer than `maxCellBytes` (so that a hostile cell is never loaded) and a REAL as SQLite's
 * own text for it (the shortest that reads back the same double: `0.1`, `100.0`, `1.0e+20`).
 * A table as wide as SQLite allows has no size column (`sized` false): its rows are bounded
 * by SQLite's own length limit only.
 */
export function tableQuery(table: string, columns: readonly string[], maxCellBytes: number): { sql: string; sized: boolean } {
  const q = columns.map(quoteName);
  const cells = q.map((c) => `CASE WHEN octet_length(${c}) > ${maxCellBytes} THEN NULL WHEN typeof(${c}) = 'real' THEN CAST(${c} AS TEXT) ELSE ${c} END`);
  const sized = columns.length < MAX_RESULT_COLUMNS;
  const head = sized ? `${balancedSum(q.map((c) => `coalesce(octet_length(${c}), 0)`))}, ` : '';
  return { sql: `SELECT ${head}${cells.join(', ')} FROM main.${quoteName(table)}`, sized };
}

/** `a + b + ...` as a balanced tree, within SQLite's expression depth limit (1000) whatever the width. */
function balancedSum(terms: readonly string[]): string {
  if (terms.length === 0) return '0';
  if (terms.length === 1) return terms[0] ?? '0';
  const mid = terms.length >> 1;
  return `(${balancedSum(terms.slice(0, mid))} + ${balancedSum(terms.slice(mid))})`;
}
