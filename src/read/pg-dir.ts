/**
 * `pg_dump -Fd` read as the dump it is (the directory format, the only one `pg_dump -j N`
 * writes). The directory holds `toc.dat` (the custom format's header and table of contents,
 * written with the tar format's byte 3, not the directory format's 5, each entry naming its
 * data file) and one data file per table: `3349.dat.gz`
 * (gzip, the default) or `3349.dat` (`-Z0`); large objects' `blobs*.toc` and `blob_*.dat` are
 * passed over, as are files the table of contents does not name. Each data file is read, in the
 * table of contents' order, by the pg_dump reader behind its own `COPY ... FROM stdin;`
 * (`copyEvents` of `pg-tar.ts`), so that the tables are those of the plain `pg_dump` of the same
 * database, named `dumpdir:schema.table`. Only names the table of contents gives, of the shape
 * `NNNN.dat`, are looked up, in the directory itself, and only regular files are read (a
 * symbolic link is never followed).
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { VigieError } from '../errors.js';
import { type ExpansionBudget, gunzip } from './archive/index.js';
import { fileBytes } from './file-bytes.js';
import { DEFAULT_MAX_RECORD_CHARS } from './limits.js';
import { copyEvents, MAX_TOC_BYTES } from './pg-tar.js';
import { readFileToc } from './sqldump/index.js';
import { systemError } from './system-error.js';
import type { ReadEvent, ReadOptions } from './types.js';

/** Opened read-only, never through a symbolic link. */
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

/** One table's data file, as the table of contents names it. */
interface DataFile {
  /** `3349.dat`, as the table of contents gives it. */
  name: string;
  /** The file in the directory (`3349.dat.gz` or `3349.dat`); null when it cannot be read. */
  found: string | null;
  /** Why it cannot be read: the skip's reason. */
  problem: 'missing data file' | 'not a regular file' | null;
  size: number;
  copy: string;
}

/** A `pg_dump -Fd` directory, its table of contents read. */
interface PgDirectory {
  toc: { size: number };
  data: DataFile[];
  /** Bytes on disk of `toc.dat` and of the data files read. */
  size: number;
}

/** One file of a source on disk: its name in the source ('' for a plain file) and its size. */
interface SourcePart {
  name: string;
  path: string;
  size: number;
}

/**
 * The files a source is made of: a plain file is itself (its name ''); a `pg_dump -Fd`
 * directory is its `toc.dat` then the data files it reads, in the table of contents' order.
 * Sizes give progress; names and contents give an ingest's digest.
 *
 * @throws VigieError `VIGIE_FILE_NOT_FOUND` for a directory that is not a `pg_dump -Fd`
 * archive, `VIGIE_BAD_FORMAT` for a damaged `toc.dat`; `stat`'s own error (its `code`) for a
 * path that cannot be opened, for the caller to word.
 * @example
 * await sourceParts('dumpdir') // [{ name: 'toc.dat', path: 'dumpdir/toc.dat', size: 5120 }, { name: '3349.dat.gz', ... }]
 */
export async function sourceParts(path: string): Promise<SourcePart[]> {
  const dir = await openPgDirectory(path, path, DEFAULT_MAX_RECORD_CHARS);
  if (dir === null) return [{ name: '', path, size: (await stat(path)).size }];
  const parts = [{ name: 'toc.dat', path: join(path, 'toc.dat'), size: dir.toc.size }];
  for (const d of dir.data) if (d.found !== null) parts.push({ name: d.found, path: join(path, d.found), size: d.size });
  return parts;
}

/**
 * Opens `path` as a `pg_dump -Fd` directory: null when it is not a directory (or cannot be
 * stat'ed: the caller's open says why).
 *
 * @throws VigieError `VIGIE_FILE_NOT_FOUND` for a directory without a `toc.dat` that starts
 * with `PGDMP`; the table of contents' reader's errors (`VIGIE_BAD_FORMAT` at its byte offset,
 * `VIGIE_TRUNCATED`) for a damaged one or one of another format.
 */
export async function openPgDirectory(path: string, file: string, maxString: number): Promise<PgDirectory | null> {
  const st = await stat(path).catch(() => null);
  if (st === null || !st.isDirectory()) return null;
  const tocFile = `${file}/toc.dat`;
  const handle = await open(join(path, 'toc.dat'), NO_FOLLOW).catch(() => null);
  if (handle === null) throw notAnArchive(file);
  let toc: Buffer;
  try {
    const tst = await handle.stat();
    if (!tst.isFile()) throw notAnArchive(file);
    if (tst.size > MAX_TOC_BYTES) {
      throw new VigieError('VIGIE_TOO_LARGE', `pg_dump table of contents larger than ${MAX_TOC_BYTES} bytes`, { position: { file: tocFile } });
    }
    toc = await handle.readFile().catch((err: unknown) => {
      throw systemError(err, tocFile, undefined);
    });
  } finally {
    await handle.close();
  }
  if (toc.toString('latin1', 0, 5) !== 'PGDMP') throw notAnArchive(file);
  const copies = await readFileToc(toc, tocFile, maxString, 'directory');
  const data: DataFile[] = [];
  let size = toc.length;
  for (const [name, copy] of copies) {
    const d = await findDataFile(path, name, copy, file);
    size += d.size;
    data.push(d);
  }
  return { toc: { size: toc.length }, data, size };
}

/**
 * Reads an opened `pg_dump -Fd` directory's tables, data file after data file; one that is
 * missing or not a regular file is a `skip` naming it. `progress` receives on-disk bytes.
 *
 * @throws VigieError the gunzip's errors (a corrupt data file at its byte offset), the pg_dump
 * reader's and the decoder's, and a data file's system errors.
 */
export async function* readPgDirectory(
  path: string,
  dir: PgDirectory,
  o: { file: string; opts: ReadOptions; budget: ExpansionBudget; progress: (n: number) => void },
): AsyncGenerator<ReadEvent> {
  o.progress(dir.toc.size);
  for (const d of dir.data) {
    if (d.found === null) {
      yield { kind: 'skip', reason: d.problem ?? 'missing data file', position: { file: `${o.file}/${d.name}` } };
      continue;
    }
    const file = `${o.file}/${d.found}`;
    const raw = dataBytes(join(path, d.found), file, o.progress);
    const gz = d.found.endsWith('.gz');
    const bytes = gz ? gunzip(raw, { file, budget: o.budget }) : raw;
    yield* copyEvents(d.copy, bytes, { name: o.file, file, member: d.found, container: gz ? 'directory>gzip' : 'directory', opts: o.opts });
  }
}

/** The data file `pg_dump` wrote for `name`: as named, else with `.gz` (as `cfopen_read` looks). */
async function findDataFile(path: string, name: string, copy: string, file: string): Promise<DataFile> {
  for (const found of [name, `${name}.gz`]) {
    let st: Stats;
    try {
      st = await lstat(join(path, found));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') continue;
      throw systemError(err, `${file}/${found}`, undefined);
    }
    if (!st.isFile()) return { name, found: null, problem: 'not a regular file', size: 0, copy };
    return { name, found, problem: null, size: st.size, copy };
  }
  return { name, found: null, problem: 'missing data file', size: 0, copy };
}

/** A data file's bytes, opened without following a link, counted for progress. */
async function* dataBytes(path: string, file: string, progress: (n: number) => void): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, NO_FOLLOW);
  } catch (err) {
    throw systemError(err, file, undefined);
  }
  try {
    const isFile = await handle.stat().then(
      (st) => st.isFile(),
      (err: unknown) => {
        throw systemError(err, file, 0);
      },
    );
    if (!isFile) throw new VigieError('VIGIE_FILE_NOT_FOUND', 'not a regular file', { position: { file } });
    yield* fileBytes(handle, file, progress);
  } finally {
    await handle.close();
  }
}

/** A directory that is not a `pg_dump -Fd` archive: the catalogue's code for EISDIR, and what to do. */
function notAnArchive(file: string): VigieError {
  return new VigieError(
    'VIGIE_FILE_NOT_FOUND',
    'is a directory (EISDIR), and not a pg_dump -Fd archive (no toc.dat starting with PGDMP): give the files in it',
    { position: { file } },
  );
}
