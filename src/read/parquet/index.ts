/**
 * The door of `read/parquet/`: an Apache Parquet file (what DuckDB's `COPY … (FORMAT
 * parquet)`, Spark, pandas/PyArrow and data warehouses export) read as one table named after
 * the file. Parquet needs random access (its footer, at the end, says where each column
 * chunk is): a file on disk is read by position (`readParquetFile`, no size cap), one from
 * an archive is held in memory within a cap (`readParquet`, as the xls reader does).
 *
 * The footer is checked whole before any data (`layout.ts`); then each row group is read
 * column chunk by column chunk, page by page (`pages.ts`): every page is checked before it is
 * decoded (`decode.ts`, `levels.ts`), flat columns' usual pages decoded here, the others and
 * nested columns' assembly by hyparquet; rows are put together as soon as every column has
 * them, so what is held is one page per column. Cells are as DuckDB writes the same table as
 * CSV (`cells.ts`), nested columns flattened as the JSON reader flattens documents (`shape.ts`).
 */
import { open } from 'node:fs/promises';
import { assembleNested } from 'hyparquet/src/assemble.js';
import type { DecodedArray } from 'hyparquet';
import { VigieError } from '../../errors.js';
import { heldWhole } from '../file-bytes.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import { systemError } from '../system-error.js';
import type { Cell, ReadEvent, ReadOptions, SourceFormat } from '../types.js';
import { DISPLAY_PARSERS } from './cells.js';
import { type Chunk, type Layout, type Leaf, type RowGroupPlan, readLayout, type Top } from './layout.js';
import { ColumnCursor, type CursorContext, type HeldValues } from './pages.js';
import { Flattener } from './shape.js';
import { type ByteSource, fileSource, memorySource } from './source.js';

export { looksLikeParquet } from './detect.js';

/**
 * Largest Parquet file held in memory (one inside an archive), as for the other formats that
 * need random access (`.xls`, a nested zip). A file on disk is read by position, uncapped.
 */
const MAX_PARQUET_BYTES = 256 * 1024 * 1024;

const PARQUET: SourceFormat = 'parquet';

/** Bytes read ahead at once, per column, from a file on disk: this much in all, shared by the columns. */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

interface ParquetOptions {
  /** The file's name in messages and as the table's name (`export.parquet`, `archive.zip:export.parquet`). */
  file: string;
  read: ReadOptions;
}

/**
 * Reads a Parquet file from its bytes (a member of an archive), held in memory within
 * `maxBytes`, as one table: see `readParquetFile`. Progress is the caller's: the bytes are
 * counted as it streams them in.
 *
 * @throws VigieError `VIGIE_TOO_LARGE` past `maxBytes` (default 256 MiB), and the errors of
 * `readParquetFile`.
 * @example
 * for await (const ev of readParquet(member.bytes, { file: 'fuite.zip:clients.parquet', read: { displayName: 'fuite.zip' } })) {
 *   if (ev.kind === 'rows') console.log(ev.firstRecord, ev.rows.length);
 * }
 */
export async function* readParquet(bytes: AsyncIterable<Buffer>, o: ParquetOptions & { maxBytes?: number }): AsyncGenerator<ReadEvent> {
  const buf = await heldWhole(
    bytes,
    o.file,
    o.maxBytes ?? MAX_PARQUET_BYTES,
    `Parquet file larger than ${o.maxBytes ?? MAX_PARQUET_BYTES} bytes, too large to hold in memory: extract it from its archive and ingest it on its own`,
  );
  yield* readTable(memorySource(buf), o.file, o.read);
}

/**
 * Reads the Parquet file at `path` by position, as one table named `o.file`, format
 * `parquet`: a `table` event whose columns are the schema's (a STRUCT's fields as dotted
 * paths, `adresse.ville`; a LIST's items `tags[0]`… and a MAP's keys added as rows have them,
 * as the JSON reader adds paths), then `rows` events of at most `batchSize` rows. A row longer
 * than `maxRecordChars`, or whose LIST/MAP items would make more than `MAX_COLUMNS` columns or
 * nest deeper than `maxDepth`, is a `skip` with its record number. `o.read.onBytes` receives
 * the bytes read so far. Memory is one page per column, whatever the file's size (DuckDB writes
 * a page per column of a row group: a few MiB at its default 122,880 rows).
 *
 * A damaged row group fails the source with the row group, column, record reached and byte;
 * the rows before it have been delivered.
 *
 * @throws VigieError `VIGIE_FILE_NOT_FOUND` (cannot be opened or read), `VIGIE_TRUNCATED` (no
 * footer: the file is cut), `VIGIE_BAD_FORMAT` (encrypted, damaged footer or page, an absurd
 * schema, a codec not read such as LZO), `VIGIE_TOO_LARGE` (a footer or page past the caps).
 * @example
 * for await (const ev of readParquetFile('export.parquet', { file: 'export.parquet', read: { displayName: 'export.parquet' } })) {
 *   if (ev.kind === 'table') console.log(ev.columns); // ['nom', 'email', 'adresse.ville', …]
 * }
 */
export async function* readParquetFile(path: string, o: ParquetOptions): AsyncGenerator<ReadEvent> {
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw systemError(err, o.file, undefined);
  });
  try {
    const { size } = await handle.stat();
    yield* readTable(fileSource(handle, size, o.file, o.read.onBytes), o.file, o.read);
  } finally {
    await handle.close();
  }
}

/** A Parquet file's one table, from a source with random access. */
async function* readTable(src: ByteSource, file: string, read: ReadOptions): AsyncGenerator<ReadEvent> {
  const maxDepth = Math.max(1, read.maxDepth ?? 64);
  const batchSize = Math.max(1, read.batchSize ?? DEFAULT_BATCH_SIZE);
  const maxRecord = Math.max(1, read.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  const layout = await readLayout(src, file, maxDepth);
  const { columns, leaves, tops } = layout;
  const width = columns.length;
  yield { kind: 'table', name: file, format: PARQUET, columns, meta: layout.meta };
  const flattener = new Flattener(columns, maxDepth);
  const held: HeldValues = { held: 0 };
  const window = Math.max(16 * 1024, Math.min(8 * 1024 * 1024, Math.floor(READ_AHEAD_BYTES / Math.max(1, leaves.length))));
  let record = 1;
  let batch: Cell[][] = [];
  let batchFirst = 1;
  const flush = (): ReadEvent | undefined => {
    if (batch.length === 0) return undefined;
    const ev: ReadEvent = { kind: 'rows', rows: batch, firstRecord: batchFirst };
    batch = [];
    return ev;
  };
  for (let g = 0; g < layout.rowGroups.length; g++) {
    const rg = layout.rowGroups[g] as RowGroupPlan;
    if (rg.rows === 0) continue;
    const ctx: CursorContext = { src, file, where: `row group ${g + 1} of ${layout.rowGroups.length}`, firstRecord: record, held, window };
    const cursors = leaves.map((leaf, j) => new ColumnCursor(leaf, rg.chunks[j] as Chunk, rg.rows, ctx));
    try {
      for (let done = 0; done < rg.rows; ) {
        let n = rg.rows - done;
        for (const c of cursors) {
          if (c.available === 0) await c.fill();
          if (c.available < n) n = c.available;
        }
        const nested = tops.map((t) => (t.kind === 'nested' ? assembled(t, cursors, n, layout, ctx, record) : undefined));
        for (let r = 0; r < n; r++, record++) {
          const row = new Array<Cell>(width).fill(null);
          let fault: string | undefined;
          for (let t = 0; t < tops.length; t++) {
            const top = tops[t] as Top;
            if (top.kind === 'flat') row[top.column] = (cursors[top.leaf] as ColumnCursor).cellAt(r);
            else {
              const res = flattener.write((nested[t] as unknown[])[r], top.shape, row);
              if (res !== 'ok') fault ??= res;
            }
          }
          if (fault === undefined && recordChars(row) > maxRecord) fault = 'record too long';
          if (fault !== undefined) {
            const ev = flush();
            if (ev) yield ev;
            yield { kind: 'skip', reason: fault, position: { file, record } };
            continue;
          }
          if (batch.length === 0) batchFirst = record;
          batch.push(row);
          if (batch.length >= batchSize) yield flush() as ReadEvent;
        }
        for (const c of cursors) c.advance(n);
        done += n;
      }
      for (const c of cursors) c.checkEnd();
    } catch (err) {
      // Rows already read are delivered before the error, as the reader contract requires.
      const ev = flush();
      if (ev) yield ev;
      if (err instanceof VigieError) throw err;
      throw new VigieError('VIGIE_BAD_FORMAT', `damaged Parquet data, ${ctx.where}: its rows cannot be put together`, {
        position: { file, record },
        cause: err,
      });
    } finally {
      for (const c of cursors) c.close();
    }
  }
  const ev = flush();
  if (ev) yield ev;
}

/** A nested top-level column's values for the next `n` rows, assembled by hyparquet from its leaves' cells. */
function assembled(t: Extract<Top, { kind: 'nested' }>, cursors: ColumnCursor[], n: number, layout: Layout, ctx: CursorContext, record: number): unknown[] {
  const first = t.leaves[0] as number;
  // A repeated leaf at the top (`repeated binary phones`): its rows are its lists already.
  if (t.tree.children.length === 0) return (cursors[first] as ColumnCursor).slice(n);
  const data = new Map<string, DecodedArray>();
  for (const j of t.leaves) data.set((layout.leaves[j] as Leaf).key, (cursors[j] as ColumnCursor).slice(n));
  try {
    assembleNested(data, t.tree, DISPLAY_PARSERS);
  } catch (err) {
    throw new VigieError('VIGIE_BAD_FORMAT', `damaged Parquet data, ${ctx.where}: the nested column ${t.tree.element.name} cannot be assembled`, {
      position: { file: ctx.file, record },
      cause: err,
    });
  }
  const out = data.get(t.tree.path.join('.'));
  if (!Array.isArray(out) || out.length !== n) {
    throw new VigieError('VIGIE_BAD_FORMAT', `damaged Parquet data, ${ctx.where}: the nested column ${t.tree.element.name} does not have a value per row`, {
      position: { file: ctx.file, record },
    });
  }
  return out;
}

/** Characters of a row's cells. */
function recordChars(row: Cell[]): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) n += row[i]?.length ?? 0;
  return n;
}
