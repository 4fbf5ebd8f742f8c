/**
 * A plain delimited file as blocks of bytes cut after line feeds, for parsing on several
 * threads (ADR 0003): the ingest decodes and parses on the main thread only what cannot be
 * parsed elsewhere (the start of the table, a quoted field across a cut), and hands every
 * other block, as bytes, to a worker that decodes and parses it itself (`decodeBlock`,
 * `parseBlock`). Cutting after a LF byte is safe in every encoding read here but UTF-16/32, whose
 * files go through `readSource`: in UTF-8 and the legacy multi-byte encodings a 0x0A byte is
 * always a line feed.
 */
import { isAscii } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { VigieError } from '../errors.js';
import { systemError } from './system-error.js';
import { DETECT_SAMPLE_BYTES, detectFormat } from './detect.js';
import { DelimitedStream, type Boundary } from './delimited/index.js';
import { createDecoder, detect8bit, detectEncoding, type ChunkDecoder } from './encoding/index.js';
import type { ReadEvent, ReadOptions } from './types.js';

/** Bytes per block by default: large enough that a block's messaging is negligible beside its parsing. */
const BLOCK_BYTES = 1 << 20;

/** One block of the file, in order. */
export interface RawBlock {
  bytes: Buffer;
  /** The block starts right after a line feed (or at the start of the file). */
  afterLF: boolean;
  /** The encoding the block decodes with (decided before the block is handed out). */
  encoding: string;
  /** Offset in the file just past the block. */
  end: number;
}

/** Decodes a block cut after line feeds, whole, in its encoding. */
export function decodeBlock(bytes: Uint8Array, encoding: string): string {
  const d = createDecoder(encoding);
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return d.write(b) + d.end();
}

/**
 * Opens `path` as blocks when it is a plain (not compressed, not archived) delimited file in an
 * encoding that can be cut after line feeds; null otherwise, and the caller reads it with
 * `readSource`. The file is closed by `close` (or by reading `blocks()` to its end).
 */
export async function openBlocks(path: string, opts: ReadOptions, blockBytes = BLOCK_BYTES): Promise<DelimitedBlocks | null> {
  const file = opts.displayName;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null; // readSource reports it with its own words
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('not a file');
    const head = Buffer.alloc(Math.min(DETECT_SAMPLE_BYTES, st.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sample = head.subarray(0, bytesRead);
    if (detectFormat(sample, file) !== 'delimited') throw new Error('not delimited');
    const guess = detectEncoding(sample, bytesRead === st.size);
    if (guess.encoding === 'utf16le' || guess.encoding === 'utf16be' || guess.encoding.startsWith('utf32')) throw new Error('not cut');
    return new DelimitedBlocks(handle, st.size, guess, opts, Math.max(1, blockBytes));
  } catch (err) {
    await handle.close();
    if (err instanceof VigieError) throw err;
    return null;
  }
}

/** See {@link openBlocks}. */
export class DelimitedBlocks {
  /** The text reader for what the main thread parses; its events are the whole-file reader's. */
  readonly stream: DelimitedStream;
  private encoding: string;
  /** The encoding is a guess from an ASCII-only start: decided again at the first other byte. */
  private provisional: boolean;
  private decoder: ChunkDecoder;
  private consumed = 0;
  private tableSeen = false;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly guess: { encoding: string; bomLength: number; by: string },
    private readonly opts: ReadOptions,
    private readonly blockBytes = BLOCK_BYTES,
  ) {
    this.stream = new DelimitedStream(opts);
    this.encoding = guess.encoding;
    this.provisional = guess.by === 'ascii';
    this.decoder = createDecoder(this.encoding);
  }

  /**
   * The file's blocks, each cut after its last line feed (the rest starts the next block); a
   * block with no line feed at all is handed out whole and the next one does not start after
   * one. Memory: one block and the rest carried over.
   */
  async *blocks(): AsyncGenerator<RawBlock> {
    let carry: Buffer | null = null;
    let pos = this.guess.bomLength;
    let afterLF = true;
    try {
      for (;;) {
        const fresh = Buffer.allocUnsafeSlow(this.blockBytes);
        const { bytesRead } = await this.handle.read(fresh, 0, this.blockBytes, pos).catch((err: unknown) => {
          throw systemError(err, this.opts.displayName, pos);
        });
        pos += bytesRead;
        this.consumed = pos;
        this.opts.onBytes?.(pos);
        const data: Buffer = carry ? Buffer.concat([carry, fresh.subarray(0, bytesRead)]) : fresh.subarray(0, bytesRead);
        carry = null;
        if (bytesRead === 0) {
          if (data.length > 0) yield this.block(data, afterLF, pos);
          return;
        }
        const lf = data.lastIndexOf(10);
        if (lf === -1) {
          yield this.block(data, afterLF, pos);
          afterLF = false;
          continue;
        }
        if (lf + 1 < data.length) carry = Buffer.from(data.subarray(lf + 1));
        yield this.block(data.subarray(0, lf + 1), afterLF, pos - (data.length - lf - 1));
        afterLF = true;
      }
    } finally {
      await this.close();
    }
  }

  private block(bytes: Buffer, afterLF: boolean, end: number): RawBlock {
    if (this.provisional && !isAscii(bytes)) {
      // As decodeStream does at the first non-ASCII byte: decide from the text from there on.
      this.encoding = detect8bit(bytes, this.consumed >= this.size).encoding;
      this.provisional = false;
      this.decoder = createDecoder(this.encoding);
    }
    return { bytes, afterLF, encoding: this.encoding, end };
  }

  /** Parses a block on this thread, after whatever the stream holds. */
  *parseHere(block: RawBlock): Generator<ReadEvent> {
    yield* this.tag(this.stream.write(this.decoder.write(block.bytes)));
    yield* this.tag(this.stream.flush());
  }

  /** Whether the next block can be parsed elsewhere, and from where (see `DelimitedStream.boundary`). */
  *boundary(): Generator<ReadEvent, Boundary | null> {
    return yield* this.tag(this.stream.boundary());
  }

  /** The end of the file. */
  *end(): Generator<ReadEvent> {
    const rest = this.decoder.end();
    if (rest.length > 0) yield* this.tag(this.stream.write(rest));
    yield* this.tag(this.stream.end());
  }

  /** The table event carries the encoding, as `readSource` tells it. */
  private *tag<R>(events: Generator<ReadEvent, R>): Generator<ReadEvent, R> {
    for (;;) {
      const r = events.next();
      if (r.done === true) return r.value;
      const ev = r.value;
      if (ev.kind === 'table' && !this.tableSeen) {
        this.tableSeen = true;
        ev.meta['encoding'] ??= this.encoding;
      }
      yield ev;
    }
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
