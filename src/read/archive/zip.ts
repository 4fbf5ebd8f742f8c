/**
 * Zip members as byte streams, with yauzl: it reads the central directory (the archive's
 * real table of contents, APPNOTE.TXT §4.3.12) rather than trusting local headers, and
 * checks sizes. Members are read one after another, never written to disk.
 */
import { createInflateRaw } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { VigieError } from '../../errors.js';
import type { ExpansionBudget } from './budget.js';
import { printable, throughZlib, zlibError } from './budget.js';

/** A zip on disk (random access through the file) or held in memory (a nested zip). */
export type ZipSource = { path: string } | { buffer: Buffer };

/** A member to read, or one refused with a short stable reason. */
export type ZipItem = { kind: 'member'; path: string; bytes: AsyncIterable<Buffer> } | { kind: 'skip'; path: string; reason: string };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Yields the members of a zip in central-directory order. Directories and macOS metadata
 * (`__MACOSX/`) are passed over; entries with an unsafe name (`../`, absolute, drive
 * letter), symbolic links, encrypted or unsupported-method entries come as `skip` items.
 * A member's `bytes` must be consumed (or abandoned) before the next item is asked for.
 * `onRaw` receives the compressed bytes read, for progress.
 *
 * @throws VigieError `VIGIE_UNSAFE_ARCHIVE` when declared or actual sizes pass the budget,
 * `VIGIE_TRUNCATED` / `VIGIE_BAD_FORMAT` for an unreadable archive.
 */
export async function* zipMembers(src: ZipSource, o: { file: string; budget: ExpansionBudget; onRaw?: (n: number) => void }): AsyncGenerator<ZipItem> {
  const zip = await openZip(src, o.file);
  const entries = new EntryReader(zip);
  try {
    for (;;) {
      const entry = await entries.next().catch((err: unknown) => {
        throw zipError(err, o.file);
      });
      if (entry === null) return;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (name.endsWith('/') || name.startsWith('__MACOSX/')) continue;
      const path = printable(name);
      const reason = refusal(entry, name);
      if (reason !== undefined) {
        yield { kind: 'skip', path, reason };
        continue;
      }
      o.budget.reserve(entry.uncompressedSize);
      yield { kind: 'member', path, bytes: memberBytes(zip, entry, `${o.file}:${path}`, o) };
    }
  } finally {
    zip.close();
  }
}

/**
 * Which of `wanted` the zip's central directory lists, reading names only (no member data):
 * tells an Office document from an archive of leak files before any member is read.
 */
export async function zipHolds(src: ZipSource, file: string, wanted: ReadonlySet<string>): Promise<Set<string>> {
  const zip = await openZip(src, file);
  const found = new Set<string>();
  try {
    const entries = new EntryReader(zip);
    for (;;) {
      const entry = await entries.next().catch((err: unknown) => {
        throw zipError(err, file);
      });
      if (entry === null) return found;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (wanted.has(name)) found.add(name);
    }
  } finally {
    zip.close();
  }
}

/** Most entries a zip opened for random access (`openZipIndex`) may list: an Office workbook has tens. */
const MAX_INDEXED_ENTRIES = 10_000;

/** A zip opened for random access by member name (an Office workbook's parts). */
interface ZipIndex {
  /** Readable members by name; refused ones (unsafe name, link, encrypted...) are left out. */
  readonly names: ReadonlySet<string>;
  /** A member's declared uncompressed size. */
  size(name: string): number;
  /** A member's decompressed bytes, within the budget and its declared size. */
  read(name: string): AsyncGenerator<Buffer>;
  close(): void;
}

/**
 * Opens a zip and lists its central directory so that members can be read in any order
 * (an xlsx's shared strings before its sheets). Members count against `budget` as they are
 * read, as in `zipMembers`; unsafe entries are never readable.
 *
 * @throws VigieError `VIGIE_UNSAFE_ARCHIVE` past `MAX_INDEXED_ENTRIES` entries (checked from
 * the end record before any entry is read), and `zipMembers`' errors.
 */
export async function openZipIndex(src: ZipSource, o: { file: string; budget: ExpansionBudget; onRaw?: (n: number) => void }): Promise<ZipIndex> {
  const zip = await openZip(src, o.file);
  const byName = new Map<string, Entry>();
  try {
    if (zip.entryCount > MAX_INDEXED_ENTRIES) {
      throw new VigieError('VIGIE_UNSAFE_ARCHIVE', `zip lists ${zip.entryCount} entries, more than ${MAX_INDEXED_ENTRIES}`, {
        position: { file: o.file },
      });
    }
    const entries = new EntryReader(zip);
    for (;;) {
      const entry = await entries.next().catch((err: unknown) => {
        throw zipError(err, o.file);
      });
      if (entry === null) break;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (name.endsWith('/') || refusal(entry, name) !== undefined) continue;
      byName.set(name, entry);
    }
  } catch (err) {
    zip.close();
    throw err;
  }
  return {
    names: new Set(byName.keys()),
    size: (name) => byName.get(name)?.uncompressedSize ?? 0,
    read(name) {
      const entry = byName.get(name);
      if (entry === undefined) throw new VigieError('VIGIE_BAD_FORMAT', `zip has no member ${printable(name)}`, { position: { file: o.file } });
      o.budget.reserve(entry.uncompressedSize);
      return memberBytes(zip, entry, `${o.file}:${printable(name)}`, o);
    },
    close: () => zip.close(),
  };
}

function refusal(entry: Entry, name: string): string | undefined {
  // We never extract to disk, but such names only come from crafted archives (zip slip).
  if (yauzl.validateFileName(name) !== null) return 'unsafe entry name';
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return 'symbolic link';
  if (entry.isEncrypted()) return 'encrypted entry';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return 'unsupported compression';
  return undefined;
}

/** The member's decompressed bytes, checked against its declared size and the budget. */
async function* memberBytes(zip: ZipFile, entry: Entry, file: string, o: { budget: ExpansionBudget; onRaw?: (n: number) => void }): AsyncGenerator<Buffer> {
  const declared = entry.uncompressedSize;
  let raw: Readable;
  try {
    raw = await new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry, { decodeFileData: false }, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
  } catch (err) {
    throw zipError(err, file);
  }
  let consumed = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      consumed += chunk.length;
      o.onRaw?.(chunk.length);
      yield chunk;
    }
  }
  const out = entry.compressionMethod === 8 ? throughZlib(counted(), createInflateRaw()) : counted();
  let produced = 0;
  try {
    for await (const chunk of out) {
      produced += chunk.length;
      // yauzl checks sizes only when it inflates; we inflate ourselves, so we check here.
      if (produced > declared) {
        throw new VigieError('VIGIE_UNSAFE_ARCHIVE', 'zip member is larger than its header states', {
          position: { file, byte: produced },
        });
      }
      o.budget.add(chunk.length);
      yield chunk;
    }
  } catch (err) {
    throw zipError(zlibError(err, file, 'zip member', consumed), file);
  } finally {
    raw.destroy();
  }
  if (produced !== declared) {
    throw new VigieError('VIGIE_TRUNCATED', 'zip member is shorter than its header states', {
      position: { file, byte: produced },
    });
  }
}

async function openZip(src: ZipSource, file: string): Promise<ZipFile> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };
  try {
    return await new Promise<ZipFile>((resolve, reject) => {
      const done = (err: Error | null, zip?: ZipFile) => (err || !zip ? reject(err) : resolve(zip));
      if ('path' in src) yauzl.open(src.path, options, done);
      else yauzl.fromBuffer(src.buffer, options, done);
    });
  } catch (err) {
    throw zipError(err, file);
  }
}

/** yauzl's errors become catalogue errors; its messages name entries, never contents. */
function zipError(err: unknown, file: string): unknown {
  if (err instanceof VigieError) return err;
  const message = err instanceof Error ? err.message : '';
  if (/end of central directory record signature not found|unexpected EOF/i.test(message)) {
    return new VigieError('VIGIE_TRUNCATED', 'zip archive is truncated (its central directory is missing)', {
      position: { file },
      cause: err,
    });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new VigieError('VIGIE_FILE_NOT_FOUND', `cannot read the archive (${code})`, { position: { file }, cause: err });
  }
  return new VigieError('VIGIE_BAD_FORMAT', 'corrupt zip archive', { position: { file }, cause: err });
}

/**
 * `readEntry()` as a promise. The error listener stays attached for the zip's lifetime, so
 * an error between two reads is kept for the next one instead of crashing the process.
 */
class EntryReader {
  private pending: { resolve: (e: Entry | null) => void; reject: (err: unknown) => void } | undefined;
  private error: unknown;

  constructor(private readonly zip: ZipFile) {
    zip.on('entry', (e: Entry) => this.settle((p) => p.resolve(e)));
    zip.on('end', () => this.settle((p) => p.resolve(null)));
    zip.on('error', (err: unknown) => {
      if (this.pending) this.settle((p) => p.reject(err));
      else this.error ??= err;
    });
  }

  next(): Promise<Entry | null> {
    if (this.error !== undefined) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.zip.readEntry();
    });
  }

  private settle(f: (p: { resolve: (e: Entry | null) => void; reject: (err: unknown) => void }) => void): void {
    const p = this.pending;
    this.pending = undefined;
    if (p) f(p);
  }
}
