/**
 * The door of `read/sqlite/`: a SQLite database file (`SQLite format 3`), the file itself
 * rather than its `.dump`, read table by table with better-sqlite3. Each ordinary table is
 * a table named `file:table`, format `sqlite`; the cells are the text a `sqlite3 .dump` of the
 * same data reads as (INTEGER and REAL as their SQL text, BLOB as `0x` and lowercase hex, NULL
 * as null). Opening is hardened against hostile files and writes nothing (`open.ts`).
 */
import type Database from 'better-sqlite3';
import { VigieError } from '../../errors.js';
import { heldWhole } from '../file-bytes.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { Cell, ReadEvent, ReadOptions } from '../types.js';
import { DEFAULT_MAX_IN_MEMORY_BYTES, guard, openBytes, openFile } from './open.js';
import { readSchema, tableColumns, tableQuery } from './schema.js';

/** The limit on a database held in memory (from an archive, or in WAL mode). */
export interface SqliteLimits {
  /** Largest database copied into memory. Default 256 MiB; past it, `VIGIE_TOO_LARGE`. */
  maxInMemoryDatabaseBytes?: number;
}

/** Where the database is: a file on disk (with its first bytes, read for detection) or bytes in memory. */
type SqliteSource = { path: string; head: Buffer; size: number } | { bytes: AsyncIterable<Buffer> };

/**
 * Smallest bytes one record takes in a database (a 2-byte cell pointer, a 1-byte payload
 * size, a 1-byte key, a 2-byte record of one NULL): more records than the file's bytes over
 * this are pages counted twice, a hostile b-tree that would make reading time unbounded.
 */
const MIN_RECORD_BYTES = 4;

/**
 * Reads every ordinary table of a SQLite database, in schema order, in batches of
 * `batchSize` rows streamed from SQLite. What is not read (views, virtual tables, SQLite's
 * own tables) is named in the first table's `notRead` meta. A record longer than
 * `maxRecordChars` is a `skip` ("record too long"). A database from an archive is held in
 * memory within `maxInMemoryDatabaseBytes`; nothing is ever written to disk.
 *
 * A damaged database fails the source when SQLite meets the damage, with the table and
 * record reached; the rows before it have been delivered (as a damaged gzip fails midway).
 *
 * @throws VigieError `VIGIE_TRUNCATED` (the file is shorter than its pages), `VIGIE_BAD_FORMAT`
 * (corrupt pages or schema, an encrypted database), `VIGIE_TOO_LARGE` (past the in-memory cap).
 * @example
 * for await (const ev of readSqlite({ path: 'shop.sqlite', head, size }, { displayName: 'shop.sqlite' })) {
 *   if (ev.kind === 'table') console.log(ev.name); // shop.sqlite:clients
 * }
 */
export async function* readSqlite(src: SqliteSource, opts: ReadOptions & SqliteLimits): AsyncGenerator<ReadEvent> {
  const file = opts.displayName;
  const cap = opts.maxInMemoryDatabaseBytes ?? DEFAULT_MAX_IN_MEMORY_BYTES;
  const opened =
    'path' in src
      ? await openFile(src.path, src.head, src.size, file, cap)
      : openBytes(await heldWhole(src.bytes, file, cap, `SQLite database in an archive larger than ${cap} bytes (it is read in memory)`), file);
  const { db, size, header } = opened;
  try {
    const at = { table: '', record: 0 };
    const run = <T>(f: () => T): T => guard(f, file, size, header, undefined, at.table === '' ? undefined : at);
    const schema = run(() => readSchema(db));
    const encoding = run(() => String(db.pragma('encoding', { simple: true })));
    const budget = { rows: Math.floor(size / MIN_RECORD_BYTES) };
    let first = true;
    for (const table of schema.tables) {
      at.table = table;
      at.record = 0;
      const columns = run(() => tableColumns(db, table));
      const meta: Record<string, string> = { encoding };
      if (header.wal) meta['journal'] = 'wal';
      if (opened.inMemory !== undefined) meta['readFrom'] = `memory (${opened.inMemory})`;
      if (first && schema.notRead !== '') meta['notRead'] = schema.notRead;
      first = false;
      yield { kind: 'table', name: `${file}:${table}`, format: 'sqlite', columns, meta };
      if (columns.length > 0) yield* readTable(db, table, columns, opts, at, run, budget);
    }
  } finally {
    db.close();
  }
}

/** Reads one table's rows; `at.record` follows the record reached, for errors. */
function* readTable(
  db: Database.Database,
  table: string,
  columns: readonly string[],
  opts: ReadOptions,
  at: { table: string; record: number },
  run: <T>(f: () => T) => T,
  budget: { rows: number },
): Generator<ReadEvent> {
  const file = opts.displayName;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxChars = opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  // A character takes at most 4 bytes in UTF-8: a record over 4 × the limit in bytes is too
  // long whatever it holds, and is skipped without loading its values.
  const maxBytes = 4 * maxChars;
  const { sql, sized } = tableQuery(table, columns, maxBytes);
  const it = run(() => db.prepare(sql).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>);
  try {
    let batch: Cell[][] = [];
    let firstRecord = 1;
    for (;;) {
      at.record++;
      let next: IteratorResult<unknown[]>;
      try {
        next = run(() => it.next());
      } catch (err) {
        // The rows before the damage are delivered, then the source fails.
        if (batch.length > 0) yield { kind: 'rows', rows: batch, firstRecord };
        throw err;
      }
      if (next.done === true) break;
      if (--budget.rows < 0) {
        throw new VigieError('VIGIE_BAD_FORMAT', 'corrupt SQLite database: more records than its size can hold (pages counted twice)', {
          position: { file, table, record: at.record },
        });
      }
      const values = next.value;
      const rowBytes = sized ? Number(values[0]) : 0;
      const row = rowBytes > maxBytes ? undefined : cells(values, sized ? 1 : 0, maxChars);
      if (row === undefined) {
        if (batch.length > 0) yield { kind: 'rows', rows: batch, firstRecord };
        batch = [];
        firstRecord = at.record + 1;
        yield { kind: 'skip', reason: 'record too long', position: { file, table, record: at.record } };
        continue;
      }
      batch.push(row);
      if (batch.length >= batchSize) {
        yield { kind: 'rows', rows: batch, firstRecord };
        batch = [];
        firstRecord = at.record + 1;
      }
    }
    if (batch.length > 0) yield { kind: 'rows', rows: batch, firstRecord };
  } finally {
    it.return?.();
  }
}

/** A row's values as cells, or undefined when their text passes `maxChars`. */
function cells(values: readonly unknown[], from: number, maxChars: number): Cell[] | undefined {
  const row: Cell[] = [];
  let chars = 0;
  for (let i = from; i < values.length; i++) {
    const v = values[i];
    let c: Cell;
    if (v === null || v === undefined) c = null;
    else if (typeof v === 'string') c = v;
    else if (Buffer.isBuffer(v)) c = `0x${v.toString('hex')}`;
    else c = String(v); // bigint (INTEGER); a REAL came as text already
    if (c !== null) chars += c.length;
    row.push(c);
  }
  return chars > maxChars ? undefined : row;
}
