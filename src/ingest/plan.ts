/**
 * What an ingest will read: every file named, checked before anything is read, and, when
 * publishing, the store's load begun with the files' digests, so that a file the leak already
 * holds, or one named twice, is never counted twice.
 */
import { systemCause, VigieError } from '../errors.js';
import { sourceParts } from '../read/index.js';
import type { ImpactReport } from '../report/index.js';
import type { IngestOptions } from './index.js';
import { Publication, sha256File } from './publish.js';

type FileEntry = ImpactReport['files'][number];

export interface FilePlan {
  /** Every file named, in order, with its size: the report's `files`, records and skips filled in as each is read. */
  files: FileEntry[];
  /** The entries of `files` to read: all of them for a dry run; else those the leak does not hold yet, each once. */
  toRead: FileEntry[];
  /** The bytes of `toRead`, for progress. */
  totalBytes: number;
  /** The load begun in the store; null for a dry run. */
  publication: Publication | null;
  /** Digests of the files the leak already holds. */
  known: string[];
}

/**
 * Every file's size (a `pg_dump -Fd` directory's, its files together), in order; the first that
 * cannot be opened is a VIGIE_FILE_NOT_FOUND at its name.
 */
async function sizes(paths: string[]): Promise<FileEntry[]> {
  const files: FileEntry[] = [];
  for (const f of paths) {
    try {
      const bytes = (await sourceParts(f)).reduce((n, p) => n + p.size, 0);
      files.push({ path: f, bytes, records: 0, skipped: 0 });
    } catch (cause) {
      // A directory that is not a pg_dump archive, a damaged one: the reader's own words.
      if (cause instanceof VigieError) throw cause;
      const code = (cause as NodeJS.ErrnoException).code;
      const why = (code === undefined ? undefined : systemCause(code)) ?? code ?? 'unreadable';
      throw new VigieError('VIGIE_FILE_NOT_FOUND', `cannot open file (${why})`, { position: { file: f }, cause });
    }
  }
  return files;
}

/**
 * Plans the files of an ingest. Unless it is a dry run this begins the publication (its load
 * and run record): the caller must then commit or abort it.
 */
export async function planFiles(opts: Pick<IngestOptions, 'files' | 'breach' | 'dryRun' | 'publish'>): Promise<FilePlan> {
  const files = await sizes(opts.files);
  let publication: Publication | null = null;
  let toRead = files;
  let known: string[] = [];
  if (!opts.dryRun) {
    if (!opts.publish) throw new VigieError('VIGIE_INTERNAL', 'no store to publish to');
    // A file's digest is its identity: a file already in this leak is never counted twice.
    const digests = await Promise.all(files.map((f) => sha256File(f.path)));
    publication = await Publication.begin(opts.publish, opts.breach, digests);
    const fresh = new Set(publication.load.newDigests);
    known = [...publication.load.knownDigests];
    toRead = files.filter((_, i) => {
      const d = digests[i];
      if (d === undefined || !fresh.has(d)) return false;
      fresh.delete(d); // the same file named twice is read once
      return true;
    });
  }
  const totalBytes = toRead.reduce((n, f) => n + f.bytes, 0);
  return { files, toRead, totalBytes, publication, known };
}
