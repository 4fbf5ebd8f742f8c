/**
 * A small pool of worker threads running worker.ts, with a bound on batches in flight so
 * memory stays flat whatever the file size (the reader waits when workers are busy).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { COUNTERS, type ShardCounts } from './shards.js';
import type { Cell } from '../read/index.js';
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

type Reply = { t: string; seq: number; result?: BatchResult; message?: string };

interface Pending {
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  /**
   * @param key the pseudonymisation key when publishing (null for a dry run); `scope` the breach
   * name; `rows`: pseudonyms with their rows and kinds (`RowSink`) and no distinct counts, for matching.
   */
  constructor(
    readonly size: number,
    init: { key: Uint8Array | null; scope: string; exactLimit?: number; rows?: boolean },
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
        { t: 'init', key: init.key, scope: init.scope, self: i, peers, exactLimit: init.exactLimit, rows: init.rows },
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
   * answer once they have received all of it.
   */
  async distinctCounts(): Promise<ShardCounts> {
    const sent = await this.ask<{ sent: number[] }>(this.workers.map(() => ({ t: 'sent' })));
    const expected = this.workers.map((_, i) => sent.map((s) => s.sent[i] ?? 0));
    const counts = await this.ask<ShardCounts>(expected.map((e) => ({ t: 'counts', expected: e })));
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
    return { sizes, errors };
  }

  private onMessage(i: number, m: Reply): void {
    if (m.t === 'sent' || m.t === 'counts') {
      this.control[i]?.shift()?.(m);
      return;
    }
    this.inFlight[i]!--;
    const p = this.pending.get(m.seq);
    this.pending.delete(m.seq);
    if (m.t === 'done' && m.result) p?.resolve(m.result);
    else p?.reject(new Error(m.message ?? 'worker failure'));
    const w = this.waiters.shift();
    if (w) w();
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const reject of this.controlFailures.splice(0)) reject(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
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
    for (;;) {
      if (this.failure) throw this.failure;
      let best = 0;
      for (let i = 1; i < this.size; i++) if (this.inFlight[i]! < this.inFlight[best]!) best = i;
      if (this.inFlight[best]! < this.perWorker) {
        const seq = this.seq++;
        this.inFlight[best]!++;
        const done = new Promise<BatchResult>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
        this.workers[best]!.postMessage({ t: 'rows', id, seq, rows });
        return { done };
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Whether a batch could be sent now without waiting for a worker. */
  hasFreeSlot(): boolean {
    if (this.failure) throw this.failure;
    for (let i = 0; i < this.size; i++) if (this.inFlight[i]! < this.perWorker) return true;
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
