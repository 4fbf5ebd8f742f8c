/**
 * Opening a hostile SQLite database so that reading it can neither write nor run its code
 * (https://www.sqlite.org/security.html, "Defense against the dark arts"): read-only, defensive
 * mode (better-sqlite3's default), `trusted_schema=OFF`, `cell_size_check=ON`, no memory map, a
 * bounded page cache, temporary storage in memory, `query_only`. A database in WAL mode, or
 * with a journal beside it, is read from a copy in memory instead of its path: SQLite would
 * otherwise create (and leave) `-shm` and `-wal` files beside the leak, and better-sqlite3 is
 * built without URI names, so `immutable=1` is out of reach.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { VigieError } from '../../errors.js';
import { systemError } from '../system-error.js';

/** Largest database read into memory (from an archive, or in WAL mode) by default: 256 MiB. */
export const DEFAULT_MAX_IN_MEMORY_BYTES = 256 * 1024 * 1024;

/** What the 100-byte header says about the file, for the truncation check and the meta. */
interface Header {
  pageSize: number;
  /** Pages the header claims, when its count is valid (its change counter matches); else 0. */
  pages: number;
  /** Write and read format versions 2: WAL mode. */
  wal: boolean;
}

/**
 * Reads the file format's header (file format §1.3).
 *
 * @throws VigieError `VIGIE_TRUNCATED` for a file shorter than its header, `VIGIE_BAD_FORMAT`
 * for a page size that is not a power of two in 512..65536.
 */
function readHeader(head: Buffer, file: string): Header {
  if (head.length < 100) {
    throw new VigieError('VIGIE_TRUNCATED', `SQLite database shorter than its 100-byte header (${head.length} bytes)`, { position: { file } });
  }
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new VigieError('VIGIE_BAD_FORMAT', `not a readable SQLite database: page size ${raw} in its header`, { position: { file, byte: 16 } });
  }
  const valid = head.readUInt32BE(24) === head.readUInt32BE(92);
  return { pageSize, pages: valid ? head.readUInt32BE(28) : 0, wal: head[18] === 2 || head[19] === 2 };
}

/** Whether `size` bytes cannot hold the whole database: not whole pages, or fewer than the header counts. */
function isTruncated(h: Header, size: number): boolean {
  return size % h.pageSize !== 0 || size < h.pages * h.pageSize;
}

/** An open database and how it was opened. */
interface Opened {
  db: Database.Database;
  /** Bytes of the database (the file, or the copy in memory). */
  size: number;
  header: Header;
  /** Why the database was copied into memory rather than opened at its path, if it was. */
  inMemory?: 'archive member' | 'WAL mode' | 'journal beside it' | 'truncated';
}

/**
 * Opens a database file read-only at its path, or from a copy in memory when SQLite would
 * otherwise write beside it (WAL mode, a `-journal` or `-wal` file next to it), or refuse it
 * whole (truncated: shorter than the pages its header counts; see `openBytes`).
 *
 * @throws VigieError `VIGIE_TOO_LARGE` when a copy in memory would pass `maxBytes`, and
 * `openBytes`' errors.
 */
export async function openFile(path: string, head: Buffer, size: number, file: string, maxBytes: number): Promise<Opened> {
  const header = readHeader(head, file);
  const beside = existsSync(`${path}-journal`) || existsSync(`${path}-wal`);
  const truncated = isTruncated(header, size);
  if (!header.wal && !beside && !truncated) {
    const db = guard(() => new Database(path, { readonly: true, fileMustExist: true }), file, size, header);
    harden(db, file, size, header);
    return { db, size, header };
  }
  const why = header.wal ? 'WAL mode' : beside ? 'journal beside it' : 'truncated';
  if (size > maxBytes && why === 'truncated') {
    throw new VigieError('VIGIE_TRUNCATED', `SQLite database truncated: ${size} bytes of ${header.pages * header.pageSize}; nothing could be read`, {
      position: { file },
    });
  }
  if (size > maxBytes) {
    throw new VigieError(
      'VIGIE_TOO_LARGE',
      `SQLite database in ${why} larger than ${maxBytes} bytes: it is read in memory so as to write nothing beside it; run \`sqlite3 COPY .dump\` on a copy and ingest the dump`,
      { position: { file } },
    );
  }
  const bytes = await readFile(path).catch((err: unknown) => {
    throw systemError(err, file, 0);
  });
  const opened = openBytes(bytes, file);
  return { ...opened, inMemory: opened.inMemory === 'truncated' ? 'truncated' : why };
}

/**
 * Opens a serialised database held in memory (an archive member, a WAL-mode file). The
 * buffer is changed: a WAL-mode header is rewritten to rollback mode (bytes 18 and 19), which
 * SQLite's in-memory files require (the `-wal` file, if any, is not in the buffer anyway);
 * a truncated copy's page count is made stale (byte 92, "version-valid-for"), as SQLite
 * refuses a file shorter than it at once: the pages there are then read, up to the first
 * missing one, which fails as `VIGIE_TRUNCATED` at the table and record it holds.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` or `VIGIE_TRUNCATED` when SQLite refuses the bytes.
 */
export function openBytes(bytes: Buffer, file: string): Opened {
  const header = readHeader(bytes, file);
  if (header.wal) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  const size = bytes.length;
  const truncated = isTruncated(header, size);
  if (truncated) bytes.writeUInt32BE((bytes.readUInt32BE(24) + 1) >>> 0, 92);
  const db = guard(() => new Database(bytes, { readonly: true }), file, size, header);
  harden(db, file, size, header);
  return { db, size, header, inMemory: truncated ? 'truncated' : 'archive member' };
}

function harden(db: Database.Database, file: string, size: number, header: Header): void {
  guard(
    () => {
      // Defensive mode is better-sqlite3's default (it is turned off only by `unsafeMode()`).
      db.pragma('trusted_schema = OFF');
      db.pragma('cell_size_check = ON');
      db.pragma('mmap_size = 0');
      db.pragma('cache_size = -8192');
      db.pragma('temp_store = MEMORY');
      db.pragma('query_only = ON');
      // Parses the schema now, so that a damaged one fails here, before any table.
      db.prepare('SELECT count(*) FROM main.sqlite_schema').get();
    },
    file,
    size,
    header,
    () => db.close(),
  );
}

/** Runs `f`, turning SQLite's errors into the catalogue's; `cleanup` runs first when it fails. */
export function guard<T>(f: () => T, file: string, size: number, header: Header, cleanup?: () => void, at?: { table: string; record: number }): T {
  try {
    return f();
  } catch (err) {
    cleanup?.();
    throw sqliteError(err, file, size, header, at);
  }
}

/**
 * SQLite's error in the catalogue's words. SQLite's own message is left out: about a damaged
 * schema it quotes the schema's text, which the leak's authors wrote. Its code is kept.
 */
function sqliteError(err: unknown, file: string, size: number, header: Header, at?: { table: string; record: number }): unknown {
  if (err instanceof VigieError || !(err instanceof Database.SqliteError)) return err;
  const position = { file, ...(at ? { table: at.table, record: at.record } : {}) };
  const after = at ? 'the records before it were read; `sqlite3 FILE .recover` may save more' : 'nothing could be read';
  if (isTruncated(header, size)) {
    const expected = Math.max(header.pages * header.pageSize, Math.ceil(size / header.pageSize) * header.pageSize);
    return new VigieError('VIGIE_TRUNCATED', `SQLite database truncated: ${size} bytes of ${expected} (${err.code}); ${after}`, { position, cause: err });
  }
  const what = err.code === 'SQLITE_NOTADB' ? 'not a SQLite database, or an encrypted one (SQLCipher)' : 'corrupt SQLite database';
  return new VigieError('VIGIE_BAD_FORMAT', `${what} (${err.code}); ${after}`, { position, cause: err });
}
