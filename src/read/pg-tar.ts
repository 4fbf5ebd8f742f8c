/**
 * `pg_dump -Ft` read as the dump it is. Its tar holds `toc.dat` first (the table of contents),
 * then one `NNNN.dat` per table (COPY text data, without the COPY statement), then
 * `restore.sql`. The statements come from `toc.dat` (`restore.sql` has them too, but after the
 * data, and a stream cannot go back): each data member is read by the pg_dump reader behind
 * its own `COPY ... FROM stdin;`, so that the tables are those of the plain `pg_dump` of the
 * same database. `restore.sql` then reads as a dump without data: it yields nothing.
 */
import { VigieError } from '../errors.js';
import { decodeStream } from './encoding/index.js';
import { DEFAULT_MAX_RECORD_CHARS } from './limits.js';
import { readFileToc, readPgDump } from './sqldump/index.js';
import type { ReadEvent, ReadOptions } from './types.js';

/** Largest `toc.dat` held in memory: a TOC lists the schema's objects, a few kilobytes each. */
export const MAX_TOC_BYTES = 64 * 1024 * 1024;

/** One archive's pg_dump state: the COPY statement of each data member, once `toc.dat` is read. */
export class PgDumpTar {
  private copies: Map<string, string> | null = null;

  /** Whether the member at `path` (its first bytes `head`) is this reader's: the TOC, or a data member it lists. */
  owns(path: string, head: Buffer): boolean {
    if (path === 'toc.dat' && head.toString('latin1', 0, 5) === 'PGDMP') return true;
    return this.copies?.has(path) === true;
  }

  /**
   * Reads a member `owns` claimed: the TOC yields nothing (a `skip` if it cannot be read,
   * and the data members are then read as plain files); a data member yields its table,
   * named `tar:schema.table`, its rows and its skips (positions in the member).
   *
   * @throws VigieError the pg_dump reader's and the decoder's errors.
   */
  async *read(path: string, bytes: AsyncIterable<Buffer>, o: { tar: string; member: string; opts: ReadOptions; container: string }): AsyncGenerator<ReadEvent> {
    const copy = this.copies?.get(path);
    if (copy === undefined) {
      const toc = await whole(bytes, o.member);
      // A TOC that cannot be read leaves the data members to be read as plain files.
      this.copies = await readFileToc(toc, o.member, o.opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS, 'tar').catch((err: unknown) => {
        if (err instanceof VigieError) return null;
        throw err;
      });
      if (this.copies === null) yield { kind: 'skip', reason: 'unsupported format', position: { file: o.member } };
      return;
    }
    yield* copyEvents(copy, bytes, { name: o.tar, file: o.member, member: path, container: o.container, opts: o.opts });
  }
}

/**
 * The events of one table's COPY data (`bytes`, without its statement) read by the pg_dump
 * reader behind `copy`, its statement: the table named `name:schema.table`, its meta saying
 * where it came from (`member`, `container`), its skips' positions in `file`, the data's own
 * name (`db.tar:3349.dat`). Shared by the tar and directory formats.
 *
 * @throws VigieError the pg_dump reader's and the decoder's errors.
 */
export async function* copyEvents(
  copy: string,
  bytes: AsyncIterable<Buffer>,
  o: { name: string; file: string; member: string; container: string; opts: ReadOptions },
): AsyncGenerator<ReadEvent> {
  const decoded = await decodeStream(bytes, { file: o.file });
  async function* text(): AsyncGenerator<string> {
    yield copy;
    yield* decoded.text;
  }
  // The statement is one line before the data: positions are moved back into the data.
  for await (const ev of readPgDump(text(), { ...o.opts, displayName: o.name })) {
    if (ev.kind === 'table') {
      ev.meta['encoding'] ??= decoded.encoding;
      ev.meta['container'] ??= o.container;
      ev.meta['member'] = o.member;
    } else if (ev.kind === 'skip') {
      const line = ev.position.line;
      ev.position = { ...ev.position, file: o.file, ...(line === undefined ? {} : { line: line - 1 }) };
    }
    yield ev;
  }
}

async function whole(bytes: AsyncIterable<Buffer>, member: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let len = 0;
  for await (const b of bytes) {
    len += b.length;
    if (len > MAX_TOC_BYTES) {
      throw new VigieError('VIGIE_TOO_LARGE', `pg_dump table of contents larger than ${MAX_TOC_BYTES} bytes`, { position: { file: member } });
    }
    parts.push(b);
  }
  return Buffer.concat(parts, len);
}
