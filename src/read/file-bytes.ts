/** A file's bytes as a stream, for the readers of files on disk (`index.ts`, `pg-dir.ts`). */
import type { FileHandle } from 'node:fs/promises';
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
