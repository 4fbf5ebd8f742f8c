/**
 * The header and table of contents of a `pg_dump -Fc` archive, or of the `toc.dat` of a
 * `pg_dump -Ft` or `-Fd` one, as PostgreSQL's `pg_backup_archiver.c` (`ReadHead`, `ReadToc`) and the
 * formats' `_ReadExtraToc` (`pg_backup_custom.c`: a data state and offset; `pg_backup_tar.c`
 * and `pg_backup_directory.c`: the member or file holding the data) read them, for archive versions 1.3 to 1.16 (PostgreSQL 7.1 to 18). Only what reading the
 * records needs is kept: the entries that have data, their names and COPY statements, and the
 * dump's encoding; the SQL of the other objects is read past without being held.
 */
import { VigieError } from '../../../errors.js';
import { type ArchiveInput, MAX_INT_SIZE } from './input.js';

/** Versions as PostgreSQL's `MAKE_ARCHIVE_VERSION`: ((major × 256) + minor) × 256 + revision. */
const v = (minor: number): number => (1 * 256 + minor) * 256;
const V_1_3 = v(3); // block type byte before each data block
const V_1_4 = v(4); // compression as an integer, creation date and database name
const V_1_5 = v(5); // dependencies
const V_1_6 = v(6); // namespace
const V_1_7 = v(7); // offSize byte; data offsets as a flag byte and offSize bytes
const V_1_8 = v(8); // tableoid
const V_1_9 = v(9); // withOids
const V_1_10 = v(10); // tablespace; server and pg_dump versions in the header
const V_1_11 = v(11); // section
const V_1_14 = v(14); // table access method
const V_1_15 = v(15); // compression algorithm byte instead of a level
const V_1_16 = v(16); // relkind
/** Oldest and newest versions read (the newest PostgreSQL writes is 1.16). */
const OLDEST = V_1_3;
const NEWEST = v(16) + 255;

/** `archiveFormat` of pg_backup.h: the custom format is a single file; the tar and directory formats' TOC is their `toc.dat`. */
const FORMAT_NAMES: Record<number, string> = { 1: 'custom', 3: 'tar', 4: 'null', 5: 'directory' };
/** The formats whose table of contents is read here. */
type TocFormat = 'custom' | 'tar' | 'directory';
/**
 * The format byte each is written with. pg_dump writes a directory's `toc.dat` with the tar
 * format's byte, not its own 5 (`pg_backup_directory.c` `_CloseArchive`: the two are
 * compatible), and pg_restore reads it so.
 */
const FORMAT_BYTES: Record<TocFormat, number> = { custom: 1, tar: 3, directory: 3 };
/** `pg_compress_algorithm` of common/compression.h. */
const ALGORITHMS = ['none', 'gzip', 'lz4', 'zstd'] as const;
type Compression = (typeof ALGORITHMS)[number];

/** `_ReadExtraToc`'s data states (pg_backup_archiver.h `K_OFFSET_*`). */
const OFFSET_NO_DATA = 3;

/**
 * Entries a table of contents may declare: far more than any real database has objects, and
 * below the 2^31 that `ReadInt` cannot hold.
 */
const MAX_TOC_ENTRIES = 1 << 24;
/** The names and COPY statements kept from the table of contents, all entries together. */
const MAX_KEPT_TOC_BYTES = 64 << 20;

export interface ArchiveHeader {
  /** `1.14.0`. */
  version: string;
  /** As a number, for comparisons with `V_1_*`. */
  versionNumber: number;
  compression: Compression;
  /** Bytes of a data offset in the table of contents. */
  offSize: number;
  /** The `pg_dump` that wrote it (`15.20 (Debian 15.20-0+deb12u1)`), from version 1.10. */
  dumpVersion: string | null;
  format: TocFormat;
}

/** A table of contents entry that has a data block. */
export interface DataEntry {
  dumpId: number;
  /** `TABLE DATA`, `BLOBS`, `BLOB COMMENTS`... */
  desc: string;
  /** The table's name, unqualified. */
  tag: string;
  namespace: string | null;
  /** `COPY public.t (a, b) FROM stdin;` for COPY data; null for `--inserts` data. */
  copyStmt: Buffer | null;
  /** Tar and directory formats: the member or file holding the data (`3349.dat`). */
  file: string | null;
}

interface Toc {
  /** Entries with data, by dumpId. */
  data: Map<number, DataEntry>;
  /** The dump's client encoding as PostgreSQL names it (`UTF8`), from the ENCODING entry. */
  encoding: string | null;
}

/**
 * Reads the header that follows the `PGDMP` magic; `format` is the archive format expected.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` for a version, integer size or format it cannot read
 * (lz4 and zstd compression included, named), `VIGIE_TRUNCATED` when the input ends inside it.
 */
export async function readHeader(input: ArchiveInput, maxString: number, expected: TocFormat = 'custom'): Promise<ArchiveHeader> {
  input.context = 'the header';
  const magic = Buffer.concat(await collect(input.take(5)));
  if (magic.toString('latin1') !== 'PGDMP') throw input.bad('no PGDMP signature', 0);
  const major = await input.byte();
  const minor = await input.byte();
  const rev = major > 1 || (major === 1 && minor > 0) ? await input.byte() : 0;
  const versionNumber = (major * 256 + minor) * 256 + rev;
  const version = `${major}.${minor}.${rev}`;
  if (versionNumber < OLDEST || versionNumber > NEWEST) {
    throw input.bad(`archive version ${version} not read (Vigie reads 1.3 to 1.16, pg_dump 7.1 to 18)`, 5);
  }
  let at = input.offset;
  const intSize = await input.byte();
  if (intSize < 1 || intSize > MAX_INT_SIZE) throw input.bad(`integer size ${intSize}`, at);
  input.intSize = intSize;
  at = input.offset;
  const offSize = versionNumber >= V_1_7 ? await input.byte() : intSize;
  if (offSize < 1 || offSize > 16) throw input.bad(`offset size ${offSize}`, at);
  at = input.offset;
  const format = await input.byte();
  if (format !== FORMAT_BYTES[expected]) {
    const name = FORMAT_NAMES[format];
    throw input.bad(name === undefined ? `unknown archive format ${format}` : `a ${name}-format archive, not ${expected} format`, at);
  }
  at = input.offset;
  let compression: Compression;
  if (versionNumber >= V_1_15) {
    const algorithm = await input.byte();
    const name = ALGORITHMS[algorithm];
    if (name === undefined) throw input.bad(`unknown compression algorithm ${algorithm}`, at);
    compression = name;
  } else {
    const level = versionNumber >= V_1_4 ? await input.int() : await input.byte();
    compression = level === 0 ? 'none' : 'gzip';
  }
  if (compression === 'lz4' || compression === 'zstd') {
    throw input.bad(
      `data compressed with ${compression}, which Vigie does not decompress: turn it into a plain dump with \`pg_restore -f dump.sql\` and ingest that`,
      at,
    );
  }
  let dumpVersion: string | null = null;
  if (versionNumber >= V_1_4) {
    for (let i = 0; i < 7; i++) await input.int(); // creation date: sec, min, hour, mday, mon, year, isdst
    await input.skipStr(); // database name
  }
  if (versionNumber >= V_1_10) {
    await input.skipStr(); // server version
    dumpVersion = (await input.str(maxString))?.toString('utf8').slice(0, 64) ?? null;
  }
  return { version: `${major}.${minor}`, versionNumber, compression, offSize, dumpVersion, format: expected };
}

/**
 * Reads the table of contents; only entries with data are kept, with their names.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` for an absurd count, id or length (with its byte offset),
 * `VIGIE_TOO_LARGE` when the kept names pass 64 MiB, `VIGIE_TRUNCATED` when the input ends.
 */
export async function readToc(input: ArchiveInput, head: ArchiveHeader, maxString: number): Promise<Toc> {
  const ver = head.versionNumber;
  input.context = 'the table of contents';
  let at = input.offset;
  const count = await input.int();
  if (count < 0 || count > MAX_TOC_ENTRIES) throw input.bad(`table of contents declares ${count} entries`, at);
  const data = new Map<number, DataEntry>();
  let encoding: string | null = null;
  let kept = 0;
  for (let i = 0; i < count; i++) {
    input.context = `the table of contents (entry ${i + 1} of ${count})`;
    at = input.offset;
    const dumpId = await input.int();
    if (dumpId <= 0 || dumpId > 0x7fffffff) throw input.bad(`entry id ${dumpId} out of range`, at);
    await input.int(); // hadDumper
    if (ver >= V_1_8) await input.skipStr(); // tableoid
    await input.skipStr(); // oid
    const tag = await input.str(maxString);
    const desc = text(await input.str(maxString));
    if (ver >= V_1_11) await input.int(); // section
    if (desc === 'ENCODING') encoding = encodingOf(text(await input.str(maxString)));
    else await input.skipStr(); // defn
    await input.skipStr(); // dropStmt
    const copyStmt = ver >= V_1_3 ? await input.str(maxString) : null;
    const namespace = ver >= V_1_6 ? await input.str(maxString) : null;
    if (ver >= V_1_10) await input.skipStr(); // tablespace
    if (ver >= V_1_14) await input.skipStr(); // tableam
    if (ver >= V_1_16) await input.int(); // relkind
    await input.skipStr(); // owner
    if (ver >= V_1_9) await input.skipStr(); // withOids
    if (ver >= V_1_5) while (await input.skipStr()); // dependencies, up to a NULL
    // The format's own part. Tar and directory: the member or file holding the data ('' or
    // NULL for none; a directory's compressed file has a suffix the name does not show).
    at = input.offset;
    let file: string | null = null;
    let state: number;
    if (head.format !== 'custom') {
      file = text(await input.str(maxString));
      state = file === '' ? OFFSET_NO_DATA : 1;
    } else if (ver >= V_1_7) {
      // Custom: whether the entry has data, and where (unused: no seeking).
      state = await input.byte();
      if (state < 1 || state > 3) throw input.bad(`data offset flag ${state}`, at);
      await input.skip(head.offSize);
    } else {
      state = (await input.int()) === 0 ? OFFSET_NO_DATA : 1;
      await input.int(); // data length
    }
    if (state === OFFSET_NO_DATA) continue;
    kept += (tag?.length ?? 0) + desc.length + (copyStmt?.length ?? 0) + (namespace?.length ?? 0);
    if (kept > MAX_KEPT_TOC_BYTES) {
      throw new VigieError('VIGIE_TOO_LARGE', `${input.label}: names in the table of contents over ${MAX_KEPT_TOC_BYTES} bytes`, {
        position: { file: input.file, byte: at },
      });
    }
    data.set(dumpId, {
      dumpId,
      desc,
      tag: text(tag),
      namespace: namespace === null ? null : text(namespace),
      // Views of the input's buffer, which later chunks replace: copied to be kept.
      copyStmt: copyStmt === null || copyStmt.length === 0 ? null : Buffer.from(copyStmt),
      file,
    });
  }
  return { data, encoding };
}

async function collect(pieces: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const p of pieces) out.push(p);
  return out;
}

/** TOC names are ASCII or the dump's encoding; they are only compared and shown. */
function text(b: Buffer | null): string {
  return b === null ? '' : b.toString('utf8');
}

/** `SET client_encoding = 'UTF8';` → `UTF8`. */
function encodingOf(defn: string): string | null {
  const m = /'([^']{1,64})'/.exec(defn);
  return m?.[1] ?? null;
}
