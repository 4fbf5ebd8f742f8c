/**
 * A small pool of worker threads running worker.ts, with a bound on batches in flight so
 * memory stays flat whatever the file size (the reader waits when workers are busy).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { unionSketches } from '../sketch.js';
import { COUNTERS, type ShardCounts, type ShardLimits } from './shards.js';
import type { BlockShape, Cell, RawBlock } from '../read/index.js';
import type { BlockParse } from './block-work.js';
import type { BatchResult, TableSpec } from './processor.js';

/**
 * worker.js once built; when running from source (vitest, tsx), a bootstrap that registers
 * tsx's loader in the worker first, since loader flags do not reach worker threads on Node 20.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

type Reply = { t: string; seq: number; result?: BatchResult; parsed?: BlockParse; message?: string };

/**
 * A block parsed and processed, its counts held until the caller knows whether the block
 * started where it was assumed to: then `commit` (the counts are kept and returned) or
 * `discard` (they are dropped). One of the two must be called; each frees its slot.
 */
export interface BlockJob {
  parsed: Promise<BlockParse>;
  commit(): Promise<BatchResult>;
  discard(): void;
}

interface Pending<T = BatchResult> {
  resolve: (r: T) => void;
  reject: (e: Error) => void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly parsing = new Map<number, Pending<BlockParse>>();
  private seq = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  /**
   * @param key the pseudonymisation key when publishing (null for a dry run); `scope` the breach
   * name; `rows`: pseudonyms with their rows and kinds (`RowSink`) and no distinct counts, for matching.
   */
  constructor(
    readonly size: number,
    init: { key: Uint8Array | null; scope: string; domains?: string[]; limits?: ShardLimits; rows?: boolean },
    private readonly perWorker = 3,
  ) {
    // One channel per pair of workers, for the distinct-count shards (shards.ts).
    const ports: (MessagePort | null)[][] = Array.from({ length: size }, () => Array<MessagePort | null>(size).fill(null));
    for (let a = 0; a < size; a++) {
      for (let b = a + 1; b < size; b++) {
        const { port1, port2 } = new MessageChannel();
        ports[a]![b] = port1;
        ports[b]![a] = port2;
      }
    }
    for (let i = 0; i < size; i++) {
      const w = startWorker();
      w.on('message', (m: Reply) => this.onMessage(i, m));
      w.on('error', (e) => this.fail(new Error(`worker ${i} failed: ${e.message}`)));
      // A worker that stops without an error event (terminated, out of memory) fails the pool too.
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`worker ${i} stopped (exit code ${code})`));
      });
      const peers = ports[i]!;
      w.postMessage(
        { t: 'init', key: init.key, scope: init.scope, domains: init.domains ?? [], self: i, peers, limits: init.limits ?? {}, rows: init.rows },
        peers.filter((p) => p !== null),
      );
      this.workers.push(w);
      this.inFlight.push(0);
    }
  }

  private control: ((m: Reply) => void)[][] = [];

  /** Asks every worker for a reply of type `t` and gathers them, in worker order. */
  private ask<T>(messages: unknown[]): Promise<T[]> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<T>((resolve, reject) => {
            (this.control[i] ??= []).push((m) => resolve(m as T));
            this.controlFailures.push(reject);
            w.postMessage(messages[i]);
          }),
      ),
    );
  }

  /** Rejecters of pending control requests: a worker that dies must not leave them hanging. */
  private readonly controlFailures: ((e: Error) => void)[] = [];

  /**
   * Distinct counts per class index (and PEOPLE), summed over the workers' shards. Call once
   * every batch has completed: workers first report what they posted to each other, then
   * answer once they have received all of it. With `peopleExact`, also the people sketch, the
   * union of the shards' (exact while it lists at most `peopleExact` values).
   */
  async distinctCounts(peopleExact?: number): Promise<ShardCounts> {
    const sent = await this.ask<{ sent: number[] }>(this.workers.map(() => ({ t: 'sent' })));
    const expected = this.workers.map((_, i) => sent.map((s) => s.sent[i] ?? 0));
    // Each shard lists at most its share exactly: the union then stays within `peopleExact`.
    const share = peopleExact === undefined ? undefined : Math.floor(peopleExact / this.size);
    const counts = await this.ask<ShardCounts>(expected.map((e) => ({ t: 'counts', expected: e, peopleExact: share })));
    const sizes = new Array<number>(COUNTERS).fill(0);
    const errors = new Array<number>(COUNTERS).fill(0);
    for (const c of counts) {
      c.sizes.forEach((n, k) => {
        sizes[k]! += n;
      });
      c.errors.forEach((e, k) => {
        errors[k] = Math.max(errors[k]!, e);
      });
    }
    if (peopleExact === undefined) return { sizes, errors };
    return {
      sizes,
      errors,
      people: unionSketches(
        counts.map((c) => c.people!),
        peopleExact,
      ),
    };
  }

  private onMessage(i: number, m: Reply): void {
    if (m.t === 'sent' || m.t === 'counts') {
      this.control[i]?.shift()?.(m);
      return;
    }
    if (m.t === 'parsed' && m.parsed) {
      // The slot stays taken: the worker holds the block's counts until commit or discard.
      this.parsing.get(m.seq)?.resolve(m.parsed);
      this.parsing.delete(m.seq);
      return;
    }
    this.inFlight[i]!--;
    const p = this.pending.get(m.seq);
    this.pending.delete(m.seq);
    if (m.t === 'done' && m.result) p?.resolve(m.result);
    else if (m.t !== 'discarded') {
      const e = new Error(m.message ?? 'worker failure');
      p?.reject(e);
      this.parsing.get(m.seq)?.reject(e);
      this.parsing.delete(m.seq);
    }
    const w = this.waiters.shift();
    if (w) w();
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const reject of this.controlFailures.splice(0)) reject(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const p of this.parsing.values()) p.reject(e);
    this.parsing.clear();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Tells every worker about a table before its rows arrive. */
  defineTable(id: number, spec: TableSpec): void {
    for (const w of this.workers) w.postMessage({ t: 'table', id, spec });
  }

  /**
   * Waits for a free slot, then sends the batch to the least busy worker. The result promise
   * is wrapped so that awaiting `submit` waits for the slot only, not for the result.
   */
  async submit(id: number, rows: Cell[][]): Promise<{ done: Promise<BatchResult> }> {
    const { seq, worker } = await this.slot();
    const done = new Promise<BatchResult>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.workers[worker]!.postMessage({ t: 'rows', id, seq, rows });
    return { done };
  }

  /**
   * Sends a block of bytes to be decoded, parsed and processed by a worker (see `BlockJob`).
   * Waits for a free slot; the bytes are copied, the caller keeps its own.
   */
  async submitBlock(id: number, block: RawBlock, shape: BlockShape): Promise<BlockJob> {
    const { seq, worker } = await this.slot(this.blockSlots);
    const w = this.workers[worker]!;
    const parsed = new Promise<BlockParse>((resolve, reject) => this.parsing.set(seq, { resolve, reject }));
    w.postMessage({ t: 'block', id, seq, bytes: block.bytes, encoding: block.encoding, shape });
    let settled = false;
    const once = (): void => {
      if (settled) throw new Error(`block ${seq} already committed or discarded`);
      settled = true;
    };
    return {
      parsed,
      commit: () => {
        once();
        if (this.failure) return Promise.reject(this.failure);
        const done = new Promise<BatchResult>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
        w.postMessage({ t: 'commit', seq });
        return done;
      },
      discard: () => {
        once();
        if (!this.failure) w.postMessage({ t: 'discard', seq });
      },
    };
  }

  /**
   * Blocks a worker may hold: twice the batches, since a parsed block keeps its slot until the
   * main thread commits it, and the main thread may be busy with a block of its own meanwhile.
   */
  private get blockSlots(): number {
    return 2 * this.perWorker;
  }

  /** Whether a block could be sent now without waiting for a worker. */
  hasFreeBlockSlot(): boolean {
    return this.hasFreeSlot(this.blockSlots);
  }

  /** Waits for a slot on the least busy worker and takes it. */
  private async slot(limit = this.perWorker): Promise<{ seq: number; worker: number }> {
    for (;;) {
      if (this.failure) throw this.failure;
      let best = 0;
      for (let i = 1; i < this.size; i++) if (this.inFlight[i]! < this.inFlight[best]!) best = i;
      if (this.inFlight[best]! < limit) {
        this.inFlight[best]!++;
        return { seq: this.seq++, worker: best };
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Whether a batch could be sent now without waiting for a worker. */
  hasFreeSlot(limit = this.perWorker): boolean {
    if (this.failure) throw this.failure;
    for (let i = 0; i < this.size; i++) if (this.inFlight[i]! < limit) return true;
    return false;
  }

  private nextHashes = 0;

  /**
   * Hands hashes counted elsewhere (batches the main thread processed itself) to the workers'
   * shards: the receiving worker keeps what it owns and forwards the rest like its own.
   */
  sendHashes(hashes: Uint32Array, hashClass: Uint8Array, n: number): void {
    if (this.failure) throw this.failure;
    if (n === 0) return;
    const w = this.workers[this.nextHashes++ % this.size]!;
    w.postMessage({ t: 'hashes', hashes, hashClass, n }, [hashes.buffer as ArrayBuffer, hashClass.buffer as ArrayBuffer]);
  }

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
