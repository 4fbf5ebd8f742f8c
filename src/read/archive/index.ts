/**
 * Decompression of hostile archives: gzip here, bzip2, xz and Zstandard in `compressed.ts`, zip
 * in `zip.ts`, tar in `tar.ts`, the shared budget in `budget.ts`. Nothing is ever written to disk; everything streams from memory.
 */
import { createGunzip } from 'node:zlib';
import type { ExpansionBudget } from './budget.js';
import { throughZlib, zlibError } from './budget.js';

export { ARCHIVE_DEFAULTS, ExpansionBudget, throughZlib, zlibError, type ArchiveLimits } from './budget.js';
export { openZipIndex, zipHolds, zipMembers, type ZipItem, type ZipSource } from './zip.js';
export { tarMembers, type TarItem } from './tar.js';
export { decompress, isCompression, type Compression } from './compressed.js';

/**
 * Gunzips a byte stream (RFC 1952; concatenated members are read one after another, as
 * gzip(1) does). Output counts against `budget`.
 *
 * @throws VigieError `VIGIE_TRUNCATED` (with the byte offset where input ended) when the
 * stream stops inside a member, `VIGIE_BAD_FORMAT` for corrupt data, `VIGIE_UNSAFE_ARCHIVE`
 * past the budget.
 * @example
 * for await (const bytes of gunzip(fileChunks, { file: 'fuite.csv.gz', budget })) use(bytes);
 */
export async function* gunzip(input: AsyncIterable<Buffer>, o: { file: string; budget: ExpansionBudget }): AsyncGenerator<Buffer> {
  let consumed = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      consumed += chunk.length;
      yield chunk;
    }
  }
  try {
    for await (const out of throughZlib(counted(), createGunzip())) {
      o.budget.add(out.length);
      yield out;
    }
  } catch (err) {
    throw zlibError(err, o.file, 'gzip', consumed);
  }
}
