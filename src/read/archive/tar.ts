/**
 * Tar members as byte streams, with tar-stream (3.x): a streaming parser of POSIX ustar, GNU
 * (`././@LongLink` long names) and pax (extended headers: long and UTF-8 names, sizes) that
 * writes nothing to disk, keeps one member's data in flight at a time and caps extended
 * headers at 4 MiB. A tar needs no random access: members are read as the archive streams by.
 * node-tar is made to extract to disk, which Vigie never does.
 *
 * Tar data is not compressed: it counts against the expansion budget only through the
 * decompressor around it (a `.tar.gz`'s gunzip), never twice.
 */
import tarStream from 'tar-stream';
import type { Extract, Header } from 'tar-stream';
import { Writable } from 'streamx';
import { VigieError } from '../../errors.js';
import { printable } from './budget.js';

/** A member as tar-stream yields it: its header, its header's offset, and its data as a stream. */
type Entry = Extract extends AsyncIterable<infer S> ? S : never;

/**
 * A member to read, or one refused with a short stable reason; `byte` is the offset of the
 * refused member's header in the tar stream (decompressed, for a `.tar.gz`).
 */
export type TarItem = { kind: 'member'; path: string; bytes: AsyncIterable<Buffer> } | { kind: 'skip'; path: string; reason: string; byte?: number };

/** Why a member of each type other than a regular file is refused; directories are passed over. */
const REFUSED_TYPES: Readonly<Record<string, string>> = {
  symlink: 'symbolic link',
  link: 'hard link',
  'character-device': 'special file',
  'block-device': 'special file',
  fifo: 'special file',
};

/**
 * Yields the regular-file members of a tar stream in archive order. Directories are passed
 * over; unsafe names (`..` segment, absolute path, drive letter), links, device files and
 * FIFOs, sparse members and types tar-stream does not know (GNU sparse `S`, volume labels)
 * come as `skip` items. A leading `./` is dropped from names. A member's `bytes` must be
 * consumed (or abandoned) before the next item is asked for; an abandoned member is read
 * through and discarded.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` with the header's byte offset for a header whose
 * checksum does not match or whose size is invalid, `VIGIE_TRUNCATED` with the offset where
 * the stream ended inside a member or header, `VIGIE_TOO_LARGE` for an extended header over
 * 4 MiB; errors of `input` (gunzip's) pass through unchanged.
 * @example
 * for await (const item of tarMembers(bytes, { file: 'fuite.tar' })) {
 *   if (item.kind === 'member') use(item.path, item.bytes);
 * }
 */
export async function* tarMembers(input: AsyncIterable<Buffer>, o: { file: string }): AsyncGenerator<TarItem> {
  // Old (v7) headers, without the ustar magic, are read too: their checksum still has to match.
  const ex = tarStream.extract({ allowUnknownFormat: true } as Parameters<typeof tarStream.extract>[0]);
  const feed = new Feed(input, ex);
  const entries = ex[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let r: IteratorResult<Entry>;
      try {
        const next = entries.next();
        // Once all input is parsed, no header will come but through `end()`, which decides
        // between a clean end and a truncated one. Never while a member is in flight: its
        // unread data would be lost with the parser.
        if ((await feed.orEnded(next)) === ENDED) feed.end();
        r = await next;
      } catch (err) {
        throw tarError(err, o.file, ex, feed);
      }
      if (r.done === true) {
        finished = true;
        return;
      }
      const entry = r.value;
      const h = entry.header;
      const at = entry.offset;
      const name = (h.name ?? '').replace(/^(?:\.\/)+/, '');
      if (h.type === 'directory' || name === '') {
        entry.resume();
        continue;
      }
      if (!Number.isSafeInteger(h.size ?? 0)) {
        throw new VigieError('VIGIE_BAD_FORMAT', 'tar header states an absurd member size', { position: { file: o.file, byte: at } });
      }
      const path = printable(name);
      const reason = refusal(h, name);
      if (reason !== undefined) {
        entry.resume();
        yield { kind: 'skip', path, reason, byte: at };
        continue;
      }
      yield { kind: 'member', path, bytes: memberBytes(entry, o.file, ex, feed) };
      // Whatever the consumer left unread is read through, so that the next header comes.
      entry.resume();
    }
  } finally {
    if (!finished) await entries.return?.(undefined).catch(() => undefined);
    ex.destroy();
    await feed.done;
  }
}

const ENDED: unique symbol = Symbol('ended');

/**
 * Feeds the input to the parser, with backpressure, and tells when all of it has been
 * parsed. The parser is not ended at once when the input ends: tar-stream would then fail
 * a truncated archive by destroying the member being read, with the data it holds but has
 * not handed out yet (up to 16 KiB of rows). Readers wait on `orEnded` instead, and a
 * member that still lacks bytes once everything is parsed is truncated at `fed`.
 */
class Feed {
  fed = 0;
  /** The input's error, if it failed: passed on as it is. */
  failure: Error | undefined;
  readonly done: Promise<void>;
  /** All input is parsed: nothing more will reach the parser. */
  private ended = false;
  /** The one reader waiting in `orEnded` (readers take turns), woken at the end. */
  private wake: (() => void) | null = null;
  private ending = false;

  constructor(
    input: AsyncIterable<Buffer>,
    private readonly ex: Extract,
  ) {
    // A failing input (a truncated gzip) destroys the parser with its error instead: readers
    // then get that error, not a truncation of the tar.
    this.done = this.pump(input).then((clean) => {
      if (!clean) return;
      this.ended = true;
      this.wake?.();
    });
  }

  /** True when the input ended cleanly and the parser took all of it. */
  private async pump(input: AsyncIterable<Buffer>): Promise<boolean> {
    const ex = this.ex;
    try {
      for await (const chunk of input) {
        if (ex.destroyed) return false;
        this.fed += chunk.length;
        if (!ex.write(chunk)) await drainedOrClosed(ex);
      }
      // Every write's callback has run: the parser has handed out or buffered all it can.
      return !ex.destroyed && (await Writable.drained(ex)) === true;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.failure = e;
      ex.destroy(e);
      return false;
    }
  }

  /**
   * `p`'s value, or `ENDED` if all input is parsed while `p` is still pending. No handler
   * outlives the call (a promise raced on every chunk would hold one per chunk).
   */
  async orEnded<T>(p: Promise<T>): Promise<T | typeof ENDED> {
    let settled = false;
    const tracked = p.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    if (!this.ended) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void tracked.then(resolve);
      });
      this.wake = null;
    }
    // One more turn of the event loop for anything the parser hands out asynchronously.
    if (!settled) await new Promise((resolve) => setImmediate(resolve));
    return settled ? await p : ENDED;
  }

  end(): void {
    if (this.ending || this.ex.destroyed) return;
    this.ending = true;
    this.ex.end(undefined);
  }
}

function drainedOrClosed(ex: Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      ex.off('drain', done);
      ex.off('close', done);
      resolve();
    };
    ex.on('drain', done);
    ex.on('close', done);
  });
}

/** The member's data; the entry's iterator is never returned early, which would destroy the whole parser. */
async function* memberBytes(entry: Entry, file: string, ex: Extract, feed: Feed): AsyncGenerator<Buffer> {
  const it = entry[Symbol.asyncIterator]();
  const size = entry.header.size ?? 0;
  let delivered = 0;
  try {
    for (;;) {
      const next = it.next();
      if (delivered < size && (await feed.orEnded(next)) === ENDED) {
        next.catch(() => undefined);
        throw new VigieError('VIGIE_TRUNCATED', 'tar archive is truncated (it ends inside a member)', { position: { file, byte: feed.fed } });
      }
      const r = await next;
      if (r.done === true) return;
      const chunk = r.value as Buffer;
      delivered += chunk.length;
      yield chunk;
    }
  } catch (err) {
    throw tarError(err, file, ex, feed);
  } finally {
    entry.resume();
  }
}

function refusal(h: Header, name: string): string | undefined {
  // Nothing is extracted, but such names only come from crafted archives (tar slip); as for zip.
  if (unsafeName(name)) return 'unsafe entry name';
  // tar-stream gives a null type for the typeflags it does not know (GNU sparse `S`, volume labels...).
  const type: string | null = h.type ?? null;
  if (type === null) return 'unsupported member type';
  const refused = REFUSED_TYPES[type];
  if (refused !== undefined) return refused;
  if (type !== 'file' && type !== 'contiguous-file') return 'unsupported member type';
  const pax = (h.pax ?? {}) as Record<string, string>;
  if (Object.keys(pax).some((k) => k.startsWith('GNU.sparse.'))) return 'sparse member';
  return undefined;
}

/** Absolute (`/x`, `\x`, `C:`) or climbing out (`..` segment, with either slash). */
function unsafeName(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[/\\]/).includes('..');
}

/**
 * tar-stream's errors become catalogue errors. The offset of the header being read is the
 * parser's `_offset` (not part of its typed API; `tar.test.ts` checks it stays right).
 */
function tarError(err: unknown, file: string, ex: Extract, feed: Feed): unknown {
  // The input's own errors (a truncated gzip, an unreadable disk) are not the tar's.
  if (err instanceof VigieError || (feed.failure !== undefined && err === feed.failure)) return err;
  const fed = feed.fed;
  const message = err instanceof Error ? err.message : '';
  const raw = (ex as unknown as { _offset?: unknown })._offset;
  const header = typeof raw === 'number' ? raw : undefined;
  const at = (byte: number | undefined) => (byte === undefined ? { file } : { file, byte });
  if (message === 'Unexpected end of data') {
    return new VigieError('VIGIE_TRUNCATED', 'tar archive is truncated (it ends inside a member or header)', { position: { file, byte: fed }, cause: err });
  }
  if (message.startsWith('Invalid tar header')) {
    return new VigieError('VIGIE_BAD_FORMAT', 'corrupt tar header (its checksum does not match)', { position: at(header), cause: err });
  }
  if (message === 'Invalid header') {
    return new VigieError('VIGIE_BAD_FORMAT', 'tar header states an invalid member size', { position: at(header), cause: err });
  }
  if (message === 'Header exceeds max size') {
    return new VigieError('VIGIE_TOO_LARGE', 'tar extended header larger than 4 MiB', { position: at(header), cause: err });
  }
  return new VigieError('VIGIE_BAD_FORMAT', 'corrupt tar archive', { position: at(header), cause: err });
}
