/**
 * A file's bytes as a stream, for the readers of files on disk (`index.ts`, `pg-dir.ts`), and a
 * stream's bytes held whole, for the formats that need random access inside an archive.
 */
import type { FileHandle } from 'node:fs/promises';
import { VigieError } from '../errors.js';
import { systemError } from './system-error.js';

/**
 * The bytes of an open file from its start, counted for progress; system errors get the
 * catalogue's code and the byte offset reached. The handle stays open: its owner closes it.
 */
export async function* fileBytes(handle: FileHandle, file: string, progress: (n: number) => void): AsyncGenerator<Buffer> {
  let offset = 0;
  const stream = handle.createReadStream({ start: 0, highWaterMark: 64 * 1024, autoClose: false });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      offset += chunk.length;
      progress(chunk.length);
      yield chunk;
    }
  } catch (err) {
    throw systemError(err, file, offset);
  } finally {
    stream.destroy();
  }
}

/**
 * A stream's bytes in one buffer, for a format read at random (a zip, an xls, a SQLite
 * database, a Parquet file inside an archive), refused past `cap` with `VIGIE_TOO_LARGE` and
 * `tooLarge`'s message, before more is held.
 */
export async function heldWhole(bytes: AsyncIterable<Buffer>, file: string, cap: number, tooLarge: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let len = 0;
  for await (const b of bytes) {
    len += b.length;
    if (len > cap) throw new VigieError('VIGIE_TOO_LARGE', tooLarge, { position: { file } });
    parts.push(b);
  }
  return Buffer.concat(parts, len);
}
