/**
 * The door of `read/bson/`: MongoDB's BSON dumps, the `.bson` file `mongodump` writes per
 * collection (BSON documents one after another, each framed by its own int32 length), read
 * as one table of documents flattened exactly as the JSON reader flattens `mongoexport`'s
 * Extended JSON (`decode.ts`, then the JSON reader's table): dotted paths, ObjectId as hex,
 * dates as ISO instants or calendar days, Int64 and Decimal128 with all their digits.
 *
 * A document is held whole while it is decoded, up to `maxRecordChars` bytes; a longer one is
 * skipped over without being held. A document BSON cannot frame (a length outside 5 bytes to
 * 16 MiB, no 0x00 at its end) ends the reading, since nothing after it can be found again.
 */
import { VigieError, type Position } from '../../errors.js';
import { JsonTable } from '../json/index.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { ReadEvent, ReadOptions } from '../types.js';
import { BsonDecoder } from './decode.js';
import { MAX_DOCUMENT_BYTES } from './detect.js';

export { bsonKind } from './detect.js';

/**
 * Reads a BSON dump as one table named after the file, format `bson`. A document the decoder
 * refuses is a `skip` (`invalid BSON`, `too deep`, or the JSON reader's `too many columns`,
 * `record too long`) with its record number and byte offset, and reading goes on: its
 * length still frames the next one. Rows read before a fatal error are delivered first.
 *
 * @throws VigieError `VIGIE_TRUNCATED` when the input ends inside a document (or its
 * length), `VIGIE_BAD_FORMAT` when a document cannot be framed; both with the byte offset.
 * @example
 * for await (const ev of readBson(bytes, { displayName: 'dump/crm/clients.bson' })) {
 *   if (ev.kind === 'rows') console.log(ev.rows.length);
 * }
 */
export async function* readBson(bytes: AsyncIterable<Buffer>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const file = opts.displayName;
  const maxDepth = Math.max(1, opts.maxDepth ?? 64);
  const maxRecord = Math.max(5, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  const out: ReadEvent[] = [];
  const table = new JsonTable(out, file, 'bson', {}, Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE), maxDepth);
  const decoder = new BsonDecoder(maxDepth);
  const q = new ByteQueue(bytes);
  const at = (byte: number): Position => ({ file, record: table.next, byte });
  try {
    for (let offset = 0; ; ) {
      // Most documents are already buffered: no promise is awaited for them.
      if (q.length < 4 && !(await q.fill(4))) {
        if (q.length === 0) break;
        throw new VigieError('VIGIE_TRUNCATED', `BSON input ends inside a document's length (${q.length} of 4 bytes)`, { position: at(offset) });
      }
      const len = q.int32();
      if (len < 5 || len > MAX_DOCUMENT_BYTES) {
        throw new VigieError('VIGIE_BAD_FORMAT', `BSON document length ${len} outside 5 bytes to 16 MiB: the rest cannot be framed`, {
          position: at(offset),
        });
      }
      let last: number | undefined;
      if (len > maxRecord) {
        last = await q.skip(len);
        if (last === 0) table.skip('record too long', at(offset));
      } else if (q.length >= len || (await q.fill(len))) {
        last = q.byteAt(len - 1);
        if (last === 0) {
          const doc = decoder.decode(q.buf, q.pos, len);
          const added = typeof doc === 'string' ? doc : table.add(doc, '', 0);
          if (added !== 'ok') table.skip(added, at(offset));
          q.drop(len);
        }
      }
      if (last === undefined) {
        throw new VigieError('VIGIE_TRUNCATED', `BSON input ends inside a document (${len} bytes announced)`, { position: at(offset) });
      }
      if (last !== 0) {
        throw new VigieError('VIGIE_BAD_FORMAT', `BSON document of ${len} bytes does not end with 0x00: the rest cannot be framed`, {
          position: at(offset),
        });
      }
      offset += len;
      if (out.length !== 0) yield* drain(out);
    }
    table.finish();
    yield* drain(out);
  } catch (err) {
    // Rows already read are delivered before the error, as the reader contract requires.
    table.flush();
    yield* drain(out);
    throw err;
  } finally {
    await q.close();
  }
}

function* drain(out: ReadEvent[]): Generator<ReadEvent> {
  for (let i = 0; i < out.length; i++) yield out[i] as ReadEvent;
  out.length = 0;
}

/** The input's bytes, buffered just enough to hold the next document whole. */
class ByteQueue {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  private readonly it: AsyncIterator<Buffer>;
  private done = false;

  constructor(src: AsyncIterable<Buffer>) {
    this.it = src[Symbol.asyncIterator]();
  }

  /** Bytes buffered and not yet dropped. */
  get length(): number {
    return this.buf.length - this.pos;
  }

  /** Buffers at least `n` bytes from `pos`, joining chunks once; false when the input ends first. */
  async fill(n: number): Promise<boolean> {
    let have = this.length;
    if (have >= n) return true;
    const parts = [this.buf.subarray(this.pos)];
    while (have < n && !this.done) {
      const r = await this.it.next();
      if (r.done === true) this.done = true;
      else {
        parts.push(r.value);
        have += r.value.length;
      }
    }
    this.buf = parts.length === 1 ? (parts[0] ?? this.buf) : Buffer.concat(parts, have);
    this.pos = 0;
    return have >= n;
  }

  int32(): number {
    return this.buf.readInt32LE(this.pos);
  }

  byteAt(i: number): number {
    return this.buf[this.pos + i] ?? 0;
  }

  drop(n: number): void {
    this.pos += n;
  }

  /** Drops `n` bytes without holding them; returns the last one, or undefined when the input ends first. */
  async skip(n: number): Promise<number | undefined> {
    let left = n;
    for (;;) {
      if (this.length >= left) {
        const last = this.byteAt(left - 1);
        this.pos += left;
        return last;
      }
      left -= this.length;
      this.buf = Buffer.alloc(0);
      this.pos = 0;
      if (this.done) return undefined;
      const r = await this.it.next();
      if (r.done === true) this.done = true;
      else this.buf = r.value;
    }
  }

  /** Releases the source (a file, a zip member) when reading stops early. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.it.return?.();
  }
}
