/**
 * The bytes of a Parquet file with random access: held in memory (a file from an archive,
 * within a cap) or read from an open file by position (a file on disk, of any size).
 */
import type { FileHandle } from 'node:fs/promises';
import { VigieError } from '../../errors.js';
import { systemError } from '../system-error.js';

export interface ByteSource {
  readonly size: number;
  /** True when reads cost nothing (the bytes are in memory): a column's reader then takes its whole chunk. */
  readonly inMemory: boolean;
  /** `len` bytes from `pos`, which the caller keeps within `size`. */
  read(pos: number, len: number): Promise<Uint8Array>;
}

/** Bytes already in memory: reads are views, no copy. */
export function memorySource(buf: Uint8Array): ByteSource {
  return {
    size: buf.length,
    inMemory: true,
    read: (pos, len) => Promise.resolve(buf.subarray(pos, pos + len)),
  };
}

/**
 * An open file read by position. `onBytes` receives the bytes read so far (each byte of the
 * data is read once). A file that ends before `size` (changed while read) is `VIGIE_TRUNCATED`.
 */
export function fileSource(handle: FileHandle, size: number, file: string, onBytes?: (n: number) => void): ByteSource {
  let total = 0;
  return {
    size,
    inMemory: false,
    async read(pos, len) {
      const out = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        let n: number;
        try {
          ({ bytesRead: n } = await handle.read(out, got, len - got, pos + got));
        } catch (err) {
          throw systemError(err, file, pos + got);
        }
        if (n === 0) {
          throw new VigieError(
            'VIGIE_TRUNCATED',
            `the file ended at byte ${pos + got} while being read, before the ${size} bytes it had: it changed meanwhile`,
            {
              position: { file, byte: pos + got },
            },
          );
        }
        got += n;
      }
      total += len;
      onBytes?.(Math.min(total, size));
      return out;
    },
  };
}
