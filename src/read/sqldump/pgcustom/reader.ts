/**
 * Reader of `pg_dump -Fc` archives (PostgreSQL's custom format): the header and table of
 * contents (`toc.ts`), then the data blocks in file order. Each table's data is the text that
 * a plain dump would hold after its `COPY ... FROM stdin;` (or the INSERTs of `--inserts`), so
 * it goes through the plain dump's own parser: tables are named and read exactly as in a plain
 * `pg_dump` of the same database.
 */
import { createInflate } from 'node:zlib';
import { VigieError } from '../../../errors.js';
import { type ExpansionBudget, throughZlib, zlibError } from '../../archive/index.js';
import { createDecoder } from '../../encoding/index.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../../limits.js';
import type { ReadEvent, ReadOptions } from '../../types.js';
import { POSTGRES } from '../dialect.js';
import { DumpParser } from '../parser.js';
import { ArchiveInput } from './input.js';
import { type ArchiveHeader, type DataEntry, readHeader, readToc } from './toc.js';

/** Options of `readPgCustom`: the readers' options and the source's decompression budget. */
interface PgCustomOptions extends ReadOptions {
  /** Counts the bytes inflated from compressed data blocks. */
  budget: ExpansionBudget;
}

/** Data block types of pg_backup_archiver.h. */
const BLK_DATA = 1;
const BLK_BLOBS = 3;

/** PostgreSQL's names of client encodings (`pg_wchar.h`) → the decoders' names. */
const ENCODINGS: Record<string, string> = {
  UTF8: 'utf8',
  SQL_ASCII: 'utf8',
  LATIN1: 'latin1',
  LATIN2: 'iso-8859-2',
  LATIN3: 'iso-8859-3',
  LATIN4: 'iso-8859-4',
  LATIN5: 'iso-8859-9',
  LATIN6: 'iso-8859-10',
  LATIN7: 'iso-8859-13',
  LATIN8: 'iso-8859-14',
  LATIN9: 'iso-8859-15',
  LATIN10: 'iso-8859-16',
  WIN1250: 'windows-1250',
  WIN1251: 'windows-1251',
  WIN1252: 'windows-1252',
  WIN1253: 'windows-1253',
  WIN1254: 'windows-1254',
  WIN1255: 'windows-1255',
  WIN1256: 'windows-1256',
  WIN1257: 'windows-1257',
  WIN1258: 'windows-1258',
  WIN866: 'cp866',
  WIN874: 'windows-874',
  KOI8R: 'koi8-r',
  KOI8U: 'koi8-u',
  ISO_8859_5: 'iso-8859-5',
  ISO_8859_6: 'iso-8859-6',
  ISO_8859_7: 'iso-8859-7',
  ISO_8859_8: 'iso-8859-8',
  EUC_JP: 'euc-jp',
  SJIS: 'shift_jis',
  EUC_KR: 'euc-kr',
  UHC: 'cp949',
  BIG5: 'big5',
  GBK: 'gbk',
  GB18030: 'gb18030',
  EUC_CN: 'gb2312',
};

/**
 * Reads a `pg_dump -Fc` archive from its bytes: one table event per table with rows, as
 * `readPgDump` gives for a plain dump of the same database (names `public.clients`, columns
 * from the COPY statement), format `pgcustom`. Gzip-compressed data is inflated within
 * `opts.budget`; lz4 and zstd (pg_dump 16+) are refused by name. Data blocks are read in file
 * order, so an archive written to a pipe (no offsets) reads the same; large objects are passed
 * over. Rows are streamed: memory is one chunk and one record.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` (with the byte offset) for a damaged header, table of
 * contents, block or zlib stream, `VIGIE_TRUNCATED` (with the offset where input ended, after
 * the rows read so far), `VIGIE_UNSAFE_ARCHIVE` past the budget, `VIGIE_TOO_LARGE`.
 * @example
 * for await (const ev of readPgCustom(chunks, { displayName: 'base.dump', budget })) {
 *   if (ev.kind === 'table') console.log(ev.name); // base.dump:public.clients
 * }
 */
export async function* readPgCustom(bytes: AsyncIterable<Buffer>, opts: PgCustomOptions): AsyncGenerator<ReadEvent> {
  const file = opts.displayName;
  const maxRecordChars = positive(opts.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars');
  const batchSize = positive(opts.batchSize, DEFAULT_BATCH_SIZE, 'batchSize');
  const it = bytes[Symbol.asyncIterator]();
  const input = new ArchiveInput(it, file);
  try {
    const head = await readHeader(input, maxRecordChars);
    const toc = await readToc(input, head, maxRecordChars);
    const encoding = ENCODINGS[(toc.encoding ?? 'UTF8').toUpperCase()] ?? 'utf8';
    const meta: Record<string, string> = { pgArchive: head.version, compression: head.compression, encoding };
    const read = new Set<number>();
    for (;;) {
      input.context = 'a data block header';
      if (await input.atEnd()) break;
      const at = input.offset;
      const type = await input.byte();
      const id = await input.int();
      const entry = toc.data.get(id);
      if (type === BLK_BLOBS) {
        // Large objects: binary contents, no records.
        input.context = 'large objects';
        await skipBlobs(input);
        if (entry !== undefined) read.add(id);
        continue;
      }
      if (type !== BLK_DATA) throw input.bad(`unknown data block type ${type}`, at);
      if (entry === undefined || read.has(id)) {
        yield { kind: 'skip', reason: entry === undefined ? 'unknown data block' : 'duplicate data block', position: { file, byte: at } };
        input.context = 'a data block';
        for await (const _ of chunks(input)) {
          // Passed over.
        }
        continue;
      }
      read.add(id);
      const table = entry.namespace ? `${entry.namespace}.${entry.tag}` : entry.tag;
      input.context = `the data of ${table}`;
      if (entry.desc !== 'TABLE DATA') {
        for await (const _ of chunks(input)) {
          // Not records (`BLOB COMMENTS` of old archives).
        }
        continue;
      }
      const parser = new DumpParser({ dialect: POSTGRES, file, format: 'pgcustom', batchSize, maxRecordChars, meta });
      yield* tableData(input, head, entry, parser, encoding, opts.budget);
    }
    const missing = [...toc.data.values()].filter((e) => e.desc === 'TABLE DATA' && !read.has(e.dumpId)).length;
    if (missing > 0) {
      throw new VigieError('VIGIE_TRUNCATED', `pg_dump custom archive ends before the data of ${missing} table(s) its table of contents lists`, {
        position: { file, byte: input.offset },
      });
    }
  } finally {
    await it.return?.();
  }
}

/**
 * The rows of one TABLE DATA block: its chunks, inflated if need be, decoded and parsed after
 * its COPY statement. Complete rows are yielded even when the block ends in an error.
 */
async function* tableData(
  input: ArchiveInput,
  head: ArchiveHeader,
  entry: DataEntry,
  parser: DumpParser,
  encoding: string,
  budget: ExpansionBudget,
): AsyncGenerator<ReadEvent> {
  const decoder = createDecoder(encoding);
  const raw = chunks(input);
  const plain = head.compression === 'gzip' ? inflate(raw, input, budget) : raw;
  // The COPY statement comes first, as in a plain dump; lines are then counted from the data's first.
  let statement = entry.copyStmt === null ? '' : decoder.write(entry.copyStmt) + decoder.end();
  if (statement !== '' && !statement.endsWith('\n')) statement += '\n';
  const shift = countLines(statement);
  const take = (): ReadEvent[] => {
    const events = parser.tables.take();
    if (shift > 0) for (const ev of events) if (ev.kind === 'skip' && ev.position.line !== undefined) ev.position.line -= shift;
    return events;
  };
  let last = '\n';
  try {
    if (statement !== '') parser.lexer.feed(statement);
    const data = createDecoder(encoding);
    for await (const piece of plain) {
      const text = data.write(piece);
      if (text.length === 0) continue;
      parser.lexer.feed(text);
      last = text;
      if (parser.tables.out.length > 0) yield* take();
    }
    const rest = data.end();
    if (rest !== '') {
      parser.lexer.feed(rest);
      last = rest;
    }
    if (statement !== '') {
      // pg_dump up to 17 writes the `\.` that ends the COPY data into the block, later ones may
      // not: after its own `\.` the parser is back to SQL, where this one is a psql command.
      parser.lexer.feed(last.endsWith('\n') ? '\\.\n' : '\n\\.\n');
    }
    if (parser.statementSeen) parser.lexer.end();
  } catch (err) {
    parser.tables.flush();
    yield* take();
    throw err;
  }
  yield* take();
}

/** The payload of a data block: chunks of (length, bytes) up to a zero length. */
async function* chunks(input: ArchiveInput): AsyncGenerator<Buffer> {
  for (;;) {
    const at = input.offset;
    const len = await input.int();
    if (len === 0) return;
    if (len < 0) throw input.bad(`negative data chunk length ${len}`, at);
    yield* input.take(len);
  }
}

/** Large objects: (oid, data chunks) up to a zero oid. */
async function skipBlobs(input: ArchiveInput): Promise<void> {
  while ((await input.int()) !== 0) {
    for await (const _ of chunks(input)) {
      // Passed over.
    }
  }
}

/**
 * A zlib stream (pg_dump's `deflateInit`), its output counted against the budget. When the
 * archive fails under it (cut short, a bad chunk length), the stream is ended rather than
 * destroyed, so that what it inflated from the bytes before comes out first; then the
 * archive's error is thrown, not zlib's complaint about the missing end.
 */
async function* inflate(src: AsyncIterable<Buffer>, input: ArchiveInput, budget: ExpansionBudget): AsyncGenerator<Buffer> {
  let failure: unknown;
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      yield* src;
    } catch (err) {
      failure = err;
    }
  }
  try {
    for await (const out of throughZlib(guarded(), createInflate())) {
      budget.add(out.length);
      yield out;
    }
  } catch (err) {
    throw failure ?? zlibError(err, input.file, 'zlib', input.offset);
  }
  if (failure !== undefined) throw failure;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new VigieError('VIGIE_USAGE', `${what} must be a positive integer`);
  return value;
}
