/**
 * The only door of `read/`: a file of any supported format, compressed or not, in; a stream
 * of tables, rows and skips out (`ReadEvent`). Format comes from content (`detect.ts`),
 * archives are opened in memory within a budget (`archive/`), text is decoded
 * (`encoding/`) and handed to the reader of its format.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { VigieError } from '../errors.js';
import { fileBytes, heldWhole } from './file-bytes.js';
import { systemError } from './system-error.js';
import {
  decompress,
  ExpansionBudget,
  isCompression,
  tarMembers,
  zipHolds,
  zipMembers,
  type ArchiveLimits,
  type Compression,
  type TarItem,
  type ZipSource,
} from './archive/index.js';
import { DETECT_SAMPLE_BYTES, detectFormat } from './detect.js';
import { readBson } from './bson/index.js';
import { readDelimited } from './delimited/index.js';
import { decodeStream } from './encoding/index.js';
import { readJson } from './json/index.js';
import { openPgDirectory, readPgDirectory, sourceParts } from './pg-dir.js';
import { PgDumpTar } from './pg-tar.js';
import { readMysqlXml } from './mysqlxml/index.js';
import { readXml } from './xml/index.js';
import { readSpreadsheetMl } from './spreadsheetml/index.js';
import { readMysqlDump, readPgCustom, readPgDump } from './sqldump/index.js';
import { DEFAULT_MAX_RECORD_CHARS } from './limits.js';
import { readParquet, readParquetFile } from './parquet/index.js';
import { readFlatOds, readOds } from './ods/index.js';
import { readSqlite, type SqliteLimits } from './sqlite/index.js';
import { readTextTable } from './texttable/index.js';
import { readLdif } from './ldif/index.js';
import { readHtml } from './html/index.js';
import { readVcard } from './vcard/index.js';
import { readXls } from './xls/index.js';
import { readXlsx } from './xlsx/index.js';
import type { ReadEvent, ReadOptions, SourceFormat, TextReader } from './types.js';

export type { Cell, ReadEvent, ReadOptions, SourceFormat, TextReader } from './types.js';
export { detectFormat } from './detect.js';
export type { ArchiveLimits } from './archive/index.js';
export { decodeBlock, openBlocks, type DelimitedBlocks, type RawBlock } from './blocks.js';
export { parseBlock, type BlockShape, type Boundary } from './delimited/index.js';
export { tabColumns } from './tab-columns.js';
export { sourceParts } from './pg-dir.js';

/** Options of `readSource`: the readers' options plus the archive limits. */
export interface SourceOptions extends ReadOptions, ArchiveLimits, SqliteLimits {}

/**
 * Archive layers that may be opened around the data: one archive inside another at most. A
 * compressed tar (`.tar.gz`, `.tgz`) is one archive to its user, and counts as one layer.
 */
const MAX_ARCHIVE_LAYERS = 2;

/** Formats read from their bytes by their own readers (they decode, or need no decoding, themselves). */
type ByteFormat = 'ods' | 'sqlite' | 'pgcustom' | 'bson' | 'xls' | 'parquet';

const READERS: Record<Exclude<SourceFormat, ByteFormat | Compression | 'xlsx' | 'zip' | 'tar'>, TextReader> = {
  delimited: readDelimited,
  json: readJson,
  ndjson: readJson,
  mysqldump: readMysqlDump,
  mysqlxml: readMysqlXml,
  xml: readXml,
  spreadsheetml: readSpreadsheetMl,
  pgdump: readPgDump,
  texttable: readTextTable,
  ldif: readLdif,
  vcard: readVcard,
  html: readHtml,
};

/** What one `readSource` call shares across nesting levels. */
interface Run {
  opts: SourceOptions;
  budget: ExpansionBudget;
}

/**
 * Reads one file: detects its format from content, opens gzip, zip and tar (an archive's
 * members become sources named `archive.zip:inner.csv`, `archive.tar:dir/inner.csv`) and
 * `pg_dump -Fd` directories (`dumpdir:schema.table`; any other directory is an error), decodes
 * text and yields the events of the matching reader. `opts.onBytes` receives the on-disk bytes
 * consumed so far. An archive member that cannot be read at all (unsafe name, encrypted, a
 * link, not a supported format...) yields a `skip` event naming it, and the other members are read.
 *
 * @throws VigieError `VIGIE_FILE_NOT_FOUND`, `VIGIE_EMPTY_FILE`, `VIGIE_BAD_FORMAT`,
 * `VIGIE_TRUNCATED`, `VIGIE_UNSAFE_ARCHIVE`, and the readers' own errors, all with position.
 * @example
 * for await (const ev of readSource('fuite.zip', { displayName: 'fuite.zip' })) {
 *   if (ev.kind === 'table') console.log(ev.name, ev.format);
 * }
 */
export async function* readSource(path: string, opts: SourceOptions): AsyncGenerator<ReadEvent> {
  const file = opts.displayName;
  let disk = 0;
  const progress = (n: number): void => {
    disk += n;
    opts.onBytes?.(disk);
  };
  // A directory is read only as a `pg_dump -Fd` archive (`pg-dir.ts`).
  const dir = await openPgDirectory(path, file, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  if (dir !== null) {
    yield* readPgDirectory(path, dir, { file, opts, budget: new ExpansionBudget(file, dir.size, opts), progress });
    return;
  }
  const handle = await openFile(path, file);
  let size = 0;
  try {
    size = (await handle.stat()).size;
    const run: Run = { opts, budget: new ExpansionBudget(file, size, opts) };
    // The head is read apart, uncounted: a zip is then read by yauzl through its own file
    // handle, and any other format streams from the start.
    const head = Buffer.alloc(Math.min(DETECT_SAMPLE_BYTES, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0).catch((err: unknown) => {
      throw systemError(err, file, 0);
    });
    const format = detectFormat(head.subarray(0, bytesRead), file);
    if (format === 'zip') yield* readZip({ path }, file, 1, run, progress);
    // SQLite reads the file itself, by pages: progress jumps at the end.
    else if (format === 'sqlite') yield* readSqlite({ path, head: head.subarray(0, bytesRead), size }, opts);
    // Parquet is read by position (its footer, at the end, says where each column is): no size cap.
    else if (format === 'parquet') yield* readParquetFile(path, { file, read: opts });
    else yield* readBytes(fileBytes(handle, file, progress), format, file, 0, run, []);
    opts.onBytes?.(size);
  } finally {
    await handle.close();
  }
}

/**
 * Reads several files one after another, each named by its path. `onBytes` receives the
 * on-disk bytes consumed across all files so far.
 */
export async function* readSources(paths: readonly string[], opts: Omit<SourceOptions, 'displayName'>): AsyncGenerator<ReadEvent> {
  let before = 0;
  for (const path of paths) {
    const onBytes = opts.onBytes;
    yield* readSource(path, { ...opts, displayName: path, onBytes: onBytes && ((b) => onBytes(before + b)) });
    for (const part of await sourceParts(path)) before += part.size;
  }
}

/** Dispatches bytes whose format is known; `layers` lists the archives opened so far. */
async function* readBytes(
  bytes: AsyncIterable<Buffer>,
  format: SourceFormat,
  name: string,
  depth: number,
  run: Run,
  layers: string[],
): AsyncGenerator<ReadEvent> {
  if (isCompression(format)) {
    if (depth >= MAX_ARCHIVE_LAYERS) throw tooDeep(name);
    const inner = await peekHead(decompress(format, bytes, { file: name, budget: run.budget }));
    const innerFormat = await detectInner(inner, name);
    // A compressed tar (`.tar.gz`, `.tar.xz`) is one archive to its user: one layer.
    yield* readBytes(inner.bytes, innerFormat, name, innerFormat === 'tar' ? depth : depth + 1, run, [...layers, format]);
    return;
  }
  if (format === 'tar') {
    if (depth >= MAX_ARCHIVE_LAYERS) throw tooDeep(name);
    yield* readMembers(tarMembers(bytes, { file: name }), name, depth + 1, run, [...layers, 'tar']);
    return;
  }
  if (format === 'zip' || format === 'xlsx') {
    if (depth >= MAX_ARCHIVE_LAYERS) throw tooDeep(name);
    yield* readZip({ buffer: await wholeZip(bytes, name, run) }, name, depth + 1, run, undefined, layers);
    return;
  }
  if (format === 'ods' || format === 'sqlite' || format === 'pgcustom' || format === 'bson' || format === 'xls' || format === 'parquet') {
    yield* contained(byteEvents(format, bytes, name, run), layers);
    return;
  }
  const decoded = await decodeStream(bytes, { file: name });
  const hint = jsonHint(format, run.opts.formatHint);
  for await (const ev of READERS[format](decoded.text, { ...run.opts, displayName: name, formatHint: hint })) {
    if (ev.kind === 'table') {
      ev.meta['encoding'] ??= decoded.encoding;
      if (layers.length > 0) ev.meta['container'] ??= layers.join('>');
    }
    yield ev;
  }
}

/** The events of a format read from its bytes. */
function byteEvents(format: ByteFormat, bytes: AsyncIterable<Buffer>, name: string, run: Run): AsyncIterable<ReadEvent> {
  switch (format) {
    case 'ods':
      // A flat OpenDocument spreadsheet (`.fods`): one XML document, read as an ods's content.
      return readFlatOds(bytes, { file: name, budget: run.budget, read: run.opts, notSpreadsheet: () => officeDocument(name) });
    case 'sqlite':
      return readSqlite({ bytes }, { ...run.opts, displayName: name });
    case 'pgcustom':
      // The archive names its own encoding; the reader decodes each table's data.
      return readPgCustom(bytes, { ...run.opts, displayName: name, budget: run.budget });
    case 'bson':
      // BSON's strings are UTF-8 by definition.
      return readBson(bytes, { ...run.opts, displayName: name });
    case 'xls':
      // An OLE compound file needs random access: the reader holds it in memory, within its cap.
      return readXls(bytes, { file: name, read: run.opts });
    case 'parquet':
      // Parquet needs random access too: a member (of a zip, a tar, a compressed file) is held in memory, within the reader's cap.
      return readParquet(bytes, { file: name, read: run.opts });
  }
}

/** Root entries that mark a zip as an Office Open XML (`[Content_Types].xml`) or OpenDocument (`mimetype`) file. */
const OFFICE_SIGNATURES: ReadonlySet<string> = new Set(['[Content_Types].xml', 'mimetype', 'xl/workbook.xml', 'content.xml']);

/** Reads a zip's members as sources of their own (an xlsx workbook as its sheets); unreadable ones become `skip` events. */
async function* readZip(src: ZipSource, name: string, depth: number, run: Run, onRaw?: (n: number) => void, layers: string[] = []): AsyncGenerator<ReadEvent> {
  const office = await zipHolds(src, name, OFFICE_SIGNATURES);
  if (office.size > 0) {
    yield* readOffice(src, name, office, run, onRaw, layers);
    return;
  }
  yield* readMembers(zipMembers(src, { file: name, budget: run.budget, onRaw }), name, depth, run, [...layers, 'zip']);
}

/**
 * Reads an archive's members (zip or tar) as sources of their own; unreadable ones become
 * `skip` events. The members of a `pg_dump -Ft` archive are read as its tables (`pg-tar.ts`).
 */
async function* readMembers(items: AsyncIterable<TarItem>, name: string, depth: number, run: Run, layers: string[]): AsyncGenerator<ReadEvent> {
  const pg = new PgDumpTar();
  for await (const item of items) {
    const member = `${name}:${item.path}`;
    if (item.kind === 'skip') {
      yield { kind: 'skip', reason: item.reason, position: item.byte === undefined ? { file: member } : { file: member, byte: item.byte } };
      continue;
    }
    const { head, bytes, abandon } = await peekHead(item.bytes);
    let started = false;
    try {
      const events = pg.owns(item.path, head)
        ? pg.read(item.path, bytes, { tar: name, member, opts: run.opts, container: layers.join('>') })
        : readBytes(bytes, memberFormat(head, member, depth), member, depth, run, layers);
      for await (const ev of events) {
        started = true;
        yield ev;
      }
    } catch (err) {
      await abandon();
      const reason = started ? undefined : memberSkipReason(err);
      if (reason === undefined) throw err;
      yield { kind: 'skip', reason, position: { file: member } };
    }
  }
}

function memberFormat(head: Buffer, member: string, depth: number): SourceFormat {
  const format = detectFormat(head, member);
  if ((isCompression(format) || format === 'zip' || format === 'tar') && depth >= MAX_ARCHIVE_LAYERS) throw tooDeep(member);
  return format;
}

/** An Office Open XML or OpenDocument file: an xlsx workbook (ADR 0005) or an ods spreadsheet is read, anything else refused with what to do. */
async function* readOffice(
  src: ZipSource,
  name: string,
  signatures: ReadonlySet<string>,
  run: Run,
  onRaw: ((n: number) => void) | undefined,
  layers: string[],
): AsyncGenerator<ReadEvent> {
  const read = { file: name, budget: run.budget, read: run.opts, ...(onRaw ? { onRaw } : {}) };
  let events: AsyncGenerator<ReadEvent>;
  if (signatures.has('xl/workbook.xml')) events = readXlsx(src, read);
  // OpenDocument: its `mimetype` member (or, without one, its body) says whether it is a spreadsheet.
  else if (signatures.has('mimetype') || signatures.has('content.xml')) events = readOds(src, { ...read, notSpreadsheet: () => officeDocument(name) });
  else throw officeDocument(name);
  yield* contained(events, layers);
}

/** A reader's events inside archives: each table names them (`container`: `zip>gzip`). */
async function* contained(events: AsyncIterable<ReadEvent>, layers: string[]): AsyncGenerator<ReadEvent> {
  for await (const ev of events) {
    if (ev.kind === 'table' && layers.length > 0) ev.meta['container'] ??= layers.join('>');
    yield ev;
  }
}

/**
 * An odt/docx is a zip of XML parts: reading it as an archive of leak files would find
 * nothing and say so quietly. Say what it is and what to do instead.
 */
function officeDocument(name: string): VigieError {
  return new VigieError(
    'VIGIE_BAD_FORMAT',
    'this is an office document (an OpenDocument text or presentation, a Word or other document), not a data export: save each table as CSV (or as .xlsx) and ingest those files',
    { position: { file: name } },
  );
}

/**
 * A member that cannot even be started (nothing read from it yet) is skipped with a reason;
 * one that fails midway fails the source, as the same file outside an archive would.
 */
function memberSkipReason(err: unknown): string | undefined {
  if (!(err instanceof VigieError)) return undefined;
  switch (err.code) {
    case 'VIGIE_EMPTY_FILE':
      return 'empty file';
    case 'VIGIE_BAD_FORMAT':
      // zlibError's messages: the member is a damaged archive rather than an unknown format.
      return err.message.includes(': corrupt ') ? 'corrupt data' : 'unsupported format';
    case 'VIGIE_BAD_ENCODING':
      return 'bad encoding';
    case 'VIGIE_UNSAFE_ARCHIVE':
      return err.message.includes('nested archive') ? 'nested archive too deep' : undefined;
    default:
      return undefined;
  }
}

async function detectInner(inner: { head: Buffer; abandon: () => Promise<void> }, name: string): Promise<SourceFormat> {
  try {
    // The name without its compressor's extension gives the hint: `fuite.jsonl.gz` reads as `fuite.jsonl`.
    return detectFormat(inner.head, name, name.replace(/\.(?:gz|gzip|bz2|bzip2|xz|zst|zstd)$/i, ''));
  } catch (err) {
    await inner.abandon();
    throw err;
  }
}

/** A nested zip needs random access: it is held in memory, within a cap. */
function wholeZip(bytes: AsyncIterable<Buffer>, name: string, run: Run): Promise<Buffer> {
  const cap = run.opts.maxNestedZipBytes ?? 256 * 1024 * 1024;
  return heldWhole(bytes, name, cap, `nested zip larger than ${cap} bytes`);
}

/** The reader's hint: the user's JSON-or-lines choice breaks a tie the content leaves open. */
function jsonHint(detected: SourceFormat, user: SourceFormat | undefined): SourceFormat {
  if ((detected === 'json' || detected === 'ndjson') && (user === 'json' || user === 'ndjson')) return user;
  return detected;
}

function tooDeep(name: string): VigieError {
  return new VigieError('VIGIE_UNSAFE_ARCHIVE', `nested archive deeper than ${MAX_ARCHIVE_LAYERS} levels`, {
    position: { file: name },
  });
}

async function openFile(path: string, file: string): Promise<FileHandle> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return handle;
  } catch (err) {
    await handle?.close();
    throw systemError(err, file, undefined);
  }
}

/**
 * Reads the first `DETECT_SAMPLE_BYTES` of a stream. `bytes` replays them then the rest;
 * `abandon` closes the source when it will not be read.
 */
async function peekHead(src: AsyncIterable<Buffer>): Promise<{ head: Buffer; bytes: AsyncGenerator<Buffer>; abandon: () => Promise<void> }> {
  const it = src[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < DETECT_SAMPLE_BYTES) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    parts.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(parts, len);
  async function* bytes(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      while (!done) {
        const r = await it.next();
        if (r.done === true) done = true;
        else yield r.value;
      }
    } finally {
      if (!done) {
        done = true;
        await it.return?.();
      }
    }
  }
  const abandon = async (): Promise<void> => {
    if (!done) {
      done = true;
      await it.return?.();
    }
  };
  return { head, bytes: bytes(), abandon };
}
