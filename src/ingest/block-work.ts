/**
 * One block's work, the same in a worker and on the main thread (blocks.ts): decode, parse,
 * process a thousand records at a time, and gather the results of the chunks into one.
 */
import { decodeBlock, parseBlock, type BlockShape, type Cell } from '../read/index.js';
import type { BatchResult, RecordProcessor } from './processor.js';

/** What the main thread learns of a block parsed elsewhere: its counts of lines, records and skips. */
export type BlockParse = Omit<ReturnType<typeof parseBlock>, 'rows' | 'accepted'> & { rows: number };

export function processBlock(processor: RecordProcessor, bytes: Uint8Array, encoding: string, shape: BlockShape): { parse: BlockParse; result: BatchResult } {
  const parts: BatchResult[] = [];
  const { rows: _none, accepted, ...rest } = parseBlock(decodeBlock(bytes, encoding), shape, (rows: Cell[][]) => parts.push(processor.process(rows)));
  return { parse: { ...rest, rows: accepted }, result: mergeResults(parts) };
}

/** The results of consecutive batches as one (fresh arrays: transferable). */
function mergeResults(parts: BatchResult[]): BatchResult {
  const valid = new Int32Array(32);
  const invalid = new Int32Array(32);
  let records = 0;
  let unidentified = 0;
  let hashCount = 0;
  for (const p of parts) {
    records += p.records;
    unidentified += p.unidentified;
    hashCount += p.hashCount;
    for (let i = 0; i < 32; i++) {
      valid[i] = (valid[i] ?? 0) + (p.valid[i] ?? 0);
      invalid[i] = (invalid[i] ?? 0) + (p.invalid[i] ?? 0);
    }
  }
  const hashes = new Uint32Array(2 * hashCount);
  const hashClass = new Uint8Array(hashCount);
  let at = 0;
  for (const p of parts) {
    hashes.set(p.hashes.subarray(0, 2 * p.hashCount), 2 * at);
    hashClass.set(p.hashClass.subarray(0, p.hashCount), at);
    at += p.hashCount;
  }
  const out: BatchResult = { records, valid, invalid, unidentified, hashes, hashClass, hashCount };
  const pseudonyms = parts.flatMap((p) => (p.pseudonyms ? [p.pseudonyms] : []));
  if (pseudonyms.length > 0) {
    out.pseudonyms = concatFresh(pseudonyms);
    const masks = new Uint32Array(parts.reduce((n, p) => n + (p.masks?.length ?? 0), 0));
    let m = 0;
    for (const p of parts) {
      if (!p.masks) continue;
      masks.set(p.masks, m);
      m += p.masks.length;
    }
    out.masks = masks;
  }
  const aliases = parts.flatMap((p) => (p.aliases ? [p.aliases] : []));
  if (aliases.length > 0) out.aliases = concatFresh(aliases);
  return out;
}

/** Buffers joined in memory of their own (never the shared pool), so that it can be transferred. */
function concatFresh(list: Buffer[]): Buffer {
  const out = Buffer.alloc(list.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of list) o += b.copy(out, o);
  return out;
}
