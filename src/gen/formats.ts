/**
 * Text serialisers: CSV (RFC 4180), JSON (one array), NDJSON (one object per line) and a
 * MySQL- or PostgreSQL-flavoured script of multi-row INSERTs. Each returns strings that the
 * writer batches; none holds more than one statement's worth of state.
 */
import { EJSON, ObjectId } from 'bson';
import { jsonPath, type ColumnDef } from './columns.js';
import type { OutCell } from './record.js';
import type { Rng } from './rng.js';

export type GenFormat = 'csv' | 'json' | 'ndjson' | 'ejson' | 'ejson-canonical' | 'sql-inserts';
export type Delimiter = ',' | ';' | '\t' | '|';
export type SqlDialect = 'mysql' | 'postgres';

export interface Serializer {
  /** Header line, opening bracket or CREATE TABLE. */
  head(): string;
  /** One record, with whatever separates it from the previous one. */
  row(cells: readonly OutCell[]): string;
  /** A broken record (CSV and NDJSON only): see `supportsMalformed`. */
  malformed(cells: readonly OutCell[], rng: Rng): string;
  /** What closes the file. */
  tail(): string;
}

export function supportsMalformed(format: GenFormat): boolean {
  return format === 'csv' || format === 'ndjson';
}

/** How CSV fields are quoted: `minimal` only when needed (Excel), `text` every field that is not a number (LibreOffice's "quote all text cells", MySQL Workbench, most export tools). */
export type CsvQuoting = 'minimal' | 'text';

/** RFC 4180 §2: fields holding the delimiter, a quote or a line break are quoted, quotes doubled; with `text`, every non-numeric field too. */
export function csvSerializer(columns: readonly ColumnDef[], delimiter: Delimiter, eol: string, header: boolean, quoting: CsvQuoting = 'minimal'): Serializer {
  const special = new RegExp(`[${delimiter === '\t' ? '\\t' : delimiter === '|' ? '\\|' : delimiter}"\\r\\n]`);
  const numeric = /^[0-9]+$/;
  const field = (v: OutCell): string => {
    if (v === null) return '';
    if (special.test(v) || (quoting === 'text' && v !== '' && !numeric.test(v))) return `"${v.replace(/"/g, '""')}"`;
    return v;
  };
  const line = (cells: readonly OutCell[]): string => {
    let s = field(cells[0] ?? null);
    for (let i = 1; i < cells.length; i++) s += delimiter + field(cells[i] ?? null);
    return s + eol;
  };
  return {
    head: () => (header ? line(columns.map((c) => c.name)) : ''),
    row: line,
    malformed: (cells, rng) =>
      // A field missing at the end, or one too many (not empty: a trailing empty field may be tolerated).
      rng.chance(0.5) ? line(cells.slice(0, -1)) : line([...cells, 'n/a']),
    tail: () => '',
  };
}

/**
 * Builds `{...}` for one record with `contact` and `adresse` nested. Columns sharing a first
 * path segment are adjacent in every preset, so objects are opened and closed in one pass.
 */
function jsonObjectWriter(columns: readonly ColumnDef[]): (cells: readonly OutCell[]) => string {
  const parts: { prefix: string; array: boolean }[] = [];
  let open: string | null = null;
  columns.forEach((c, i) => {
    const [a, b, arr] = c.json;
    let prefix = i === 0 ? '{' : '';
    if (b === undefined) {
      if (open !== null) prefix += '}';
      open = null;
      prefix += `${i === 0 ? '' : ','}${JSON.stringify(a)}:`;
    } else if (open === a) {
      prefix += `,${JSON.stringify(b)}:`;
    } else {
      if (open !== null) prefix += '}';
      prefix += `${i === 0 ? '' : ','}${JSON.stringify(a)}:{${JSON.stringify(b)}:`;
      open = a;
    }
    parts.push({ prefix, array: arr === '[]' });
  });
  const close = open !== null ? '}}' : '}';
  return (cells) => {
    let s = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as { prefix: string; array: boolean };
      const v = cells[i] ?? null;
      s += part.prefix;
      if (part.array) s += v === null ? '[]' : `[${JSON.stringify(v)}]`;
      else s += v === null ? 'null' : JSON.stringify(v);
    }
    return s + close;
  };
}

export function jsonSerializer(columns: readonly ColumnDef[]): Serializer {
  const object = jsonObjectWriter(columns);
  let n = 0;
  return {
    head: () => '[\n',
    row: (cells) => (n++ === 0 ? '' : ',\n') + object(cells),
    malformed: () => {
      throw new Error('JSON arrays have no malformed rows');
    },
    tail: () => (n === 0 ? ']\n' : '\n]\n'),
  };
}

export function ndjsonSerializer(columns: readonly ColumnDef[]): Serializer {
  const object = jsonObjectWriter(columns);
  return {
    head: () => '',
    row: (cells) => `${object(cells)}\n`,
    malformed: (cells, rng) => {
      const text = object(cells);
      // A line cut short (never valid: an object ends with its closing brace), or an unquoted key.
      if (rng.chance(0.7)) return `${text.slice(0, 1 + rng.int(text.length - 2))}\n`;
      return `{${text.slice(2)}\n`;
    },
    tail: () => '',
  };
}

/** A birth date as written (`JJ/MM/AAAA`, `JJ-MM-AAAA`, `AAAA-MM-JJ`) as a Date at midnight UTC, or null if no such day. */
function calendarDate(v: string): Date | null {
  const m = /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})$/.exec(v) ?? /^(?<d>\d{2})[/-](?<mo>\d{2})[/-](?<y>\d{4})$/.exec(v);
  const { y, mo, d } = m?.groups ?? {};
  if (y === undefined || mo === undefined || d === undefined) return null;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.toISOString().startsWith(`${y}-${mo}-${d}`) ? date : null;
}

/**
 * MongoDB Extended JSON as `mongoexport` writes it: one document per line, an ObjectId `_id`
 * first, the birth date a BSON date (`{"$date": …}`) when it is a real day (an impossible
 * one, a typing error, stays the string it was). Written by the official `bson` library's
 * `EJSON.stringify`, relaxed (mongoexport's default) or canonical (`--jsonFormat=canonical`).
 */
export function ejsonSerializer(columns: readonly ColumnDef[], canonical: boolean): Serializer {
  let n = 0;
  return {
    head: () => '',
    row: (cells) => {
      // A fixed creation time and a counter: the same bytes for the same seed.
      const doc: Record<string, unknown> = { _id: new ObjectId(`65a1b2c3${(n++).toString(16).padStart(16, '0')}`) };
      columns.forEach((c, i) => {
        const raw = cells[i] ?? null;
        const v = c.field === 'birthDate' && raw !== null ? (calendarDate(raw) ?? raw) : raw;
        const [a, b, arr] = c.json;
        if (b === undefined) doc[a] = v;
        else {
          const inner = (doc[a] ??= {}) as Record<string, unknown>;
          inner[b] = arr === '[]' ? (v === null ? [] : [v]) : v;
        }
      });
      return `${EJSON.stringify(doc, { relaxed: !canonical })}\n`;
    },
    malformed: () => {
      throw new Error('Extended JSON exports have no malformed rows');
    },
    tail: () => '',
  };
}

/** Rows per INSERT statement, as mysqldump's extended inserts do. */
const ROWS_PER_INSERT = 500;

/**
 * A loadable script: DROP/CREATE TABLE then multi-row INSERTs. MySQL flavour quotes names
 * with backticks and escapes strings the way mysqldump does; PostgreSQL flavour uses double
 * quotes and standard-conforming strings.
 */
export function sqlSerializer(columns: readonly ColumnDef[], table: string, dialect: SqlDialect, charset: string): Serializer {
  const q = dialect === 'mysql' ? (s: string) => `\`${s}\`` : (s: string) => `"${s}"`;
  const mysqlEscapes: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\0': '\\0', '\x1a': '\\Z' };
  const literal =
    dialect === 'mysql'
      ? // biome-ignore lint/suspicious/noControlCharactersInRegex: mysqldump escapes NUL and Ctrl-Z, as here
        (v: string) => `'${v.replace(/[\\'"\n\r\0\x1a]/g, (c) => mysqlEscapes[c] as string)}'`
      : (v: string) => `'${v.replace(/'/g, "''")}'`;
  const insert = `INSERT INTO ${q(table)} VALUES `;
  let n = 0;
  return {
    head: () => {
      const defs = columns.map((c) => `  ${q(c.name)} ${c.sqlType}${dialect === 'mysql' && c.sqlType !== 'text' ? ' DEFAULT NULL' : ''}`);
      const lines = ['-- Vigie synthetic data: generated, no real person.'];
      if (dialect === 'mysql') lines.push(`SET NAMES ${charset};`);
      else lines.push(`SET client_encoding = '${charset}';`, 'SET standard_conforming_strings = on;');
      lines.push(`DROP TABLE IF EXISTS ${q(table)};`, `CREATE TABLE ${q(table)} (`, defs.join(',\n'));
      lines.push(dialect === 'mysql' ? ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;' : ');', '');
      return lines.join('\n');
    },
    row: (cells) => {
      let s = n % ROWS_PER_INSERT === 0 ? (n === 0 ? insert : `;\n${insert}`) : ',';
      n++;
      s += '(';
      for (let i = 0; i < cells.length; i++) {
        const v = cells[i] ?? null;
        s += (i === 0 ? '' : ',') + (v === null ? 'NULL' : literal(v));
      }
      return `${s})`;
    },
    malformed: () => {
      throw new Error('SQL scripts have no malformed rows');
    },
    tail: () => (n > 0 ? ';\n' : ''),
  };
}

/** The flattened column names a reader of this format reports. */
export function columnNames(format: GenFormat, columns: readonly ColumnDef[]): string[] {
  return format === 'csv' || format === 'sql-inserts' ? columns.map((c) => c.name) : columns.map(jsonPath);
}
