/**
 * Reading a plain delimited file on every core (ADR 0003, "blocks"): the main thread reads
 * bytes and cuts them after line feeds; workers decode, parse and process whole blocks. A block
 * can be parsed alone only if it starts between two records, which is known for sure only once
 * the block before it is parsed: so each block is parsed speculatively, its counts held, and
 * committed in file order when the block before it ended cleanly (`ParsedBlock.clean`). When it
 * did not (a quoted line break across the cut, a record too long to decide), the block is
 * discarded and the main thread parses on from there with the whole-file reader, until it
 * stands at a boundary again. The events are the whole-file reader's, in the same order, with
 * whole blocks' counts in between: the report is the same as reading the file in one piece.
 */
import type { BlockShape, Boundary, DelimitedBlocks, RawBlock, ReadEvent } from '../read/index.js';
import type { BatchResult, RecordProcessor } from './processor.js';
import { processBlock, type BlockParse } from './block-work.js';
import type { BlockJob, WorkerPool } from './pool.js';

/** A committed block: its counts, its skips placed in the file, its rows. */
export interface BlockEvent {
  kind: 'block';
  /** The counts, once the worker has sent them: the skips and records are known before. */
  result: Promise<BatchResult>;
  /** Records accepted. */
  rows: number;
  /** Offset in the file just past the block. */
  end: number;
  /** Skipped records, in order, each with the accepted records before it in the block. */
  skips: { reason: string; position: { file: string; line: number; record: number }; rowsBefore: number }[];
}

/** What the reader needs from the ingest. */
interface BlockContext {
  pool: WorkerPool;
  /** The current table's processor spec and inline processor, once its columns are recognised; null before. */
  table(): { specId: number; inline: RecordProcessor } | null;
}

/** Blocks parsed ahead of the one being committed, at most. */
const AHEAD = 16;

interface Queued {
  block: RawBlock;
  job: BlockJob;
  /** The job's parse has come back. */
  back: boolean;
}

/** The file's events and block results, in file order. */
export async function* readInBlocks(src: DelimitedBlocks, ctx: BlockContext): AsyncGenerator<ReadEvent | BlockEvent> {
  const name = src.stream.name;
  /** Where the next block starts when blocks are parsed elsewhere; null while the main thread parses. */
  let at = null as Boundary | null;
  const queue: Queued[] = [];

  function* standing(): Generator<ReadEvent, Boundary | null> {
    if (ctx.table() === null) return null;
    return yield* src.boundary();
  }

  /** Parses a block here, after whatever the whole-file reader holds. */
  function* here(block: RawBlock): Generator<ReadEvent> {
    if (at) src.stream.resume(at.line, at.record);
    at = null;
    yield* src.parseHere(block);
    at = yield* standing();
  }

  async function* settle(q: Queued): AsyncGenerator<ReadEvent | BlockEvent> {
    const parsed = at ? await q.job.parsed : null;
    if (!at || !parsed?.clean) {
      q.job.discard();
      yield* here(q.block);
      return;
    }
    // Not awaited: the worker answers after the block it is parsing, and nothing here needs the counts.
    const result = q.job.commit();
    yield placed(result, parsed, at, name, q.block.end);
    at = { shape: at.shape, line: at.line + parsed.lines, record: at.record + parsed.records };
  }

  const eligible = (block: RawBlock): ReturnType<BlockContext['table']> => (at && block.afterLF ? ctx.table() : null);
  for await (const block of src.blocks()) {
    // Commit what has come back while the workers are busy: that frees their slots.
    if (eligible(block)) {
      while (queue.length >= AHEAD || (queue[0]?.back === true && !ctx.pool.hasFreeBlockSlot())) {
        const q = queue.shift();
        if (q) yield* settle(q);
      }
    }
    // A block parsed here comes after every block queued before it.
    if (!eligible(block)) for (let q = queue.shift(); q !== undefined; q = queue.shift()) yield* settle(q);
    const table = eligible(block);
    if (!at || !table) {
      yield* here(block);
      continue;
    }
    const job = ctx.pool.hasFreeBlockSlot() ? await ctx.pool.submitBlock(table.specId, block, at.shape) : inlineJob(table.inline, ctx.pool, block, at.shape);
    const q: Queued = { block, job, back: false };
    const back = (): void => {
      q.back = true;
    };
    job.parsed.then(back, back);
    queue.push(q);
  }
  for (let q = queue.shift(); q !== undefined; q = queue.shift()) yield* settle(q);
  if (at) src.stream.resume(at.line, at.record);
  yield* src.end();
}

/** A block's skips in file positions. */
function placed(result: Promise<BatchResult>, parsed: BlockParse, at: Boundary, file: string, end: number): BlockEvent {
  return {
    kind: 'block',
    result,
    rows: parsed.rows,
    end,
    skips: parsed.skips.map((s, k) => ({
      reason: s.reason,
      position: { file, line: at.line + s.line - 1, record: at.record + s.record },
      rowsBefore: s.record - 1 - k,
    })),
  };
}

/**
 * The same job done on this thread, for when every worker is busy: rather than wait, the main
 * thread parses and processes the block itself; its distinct hashes go to the workers' shards
 * once committed.
 */
function inlineJob(processor: RecordProcessor, pool: WorkerPool, block: RawBlock, shape: BlockShape): BlockJob {
  const { parse, result: full } = processBlock(processor, block.bytes, block.encoding, shape);
  return {
    parsed: Promise.resolve(parse),
    commit: () => {
      pool.sendHashes(full.hashes, full.hashClass, full.hashCount);
      return Promise.resolve({ ...full, hashCount: 0 });
    },
    discard: () => undefined,
  };
}
