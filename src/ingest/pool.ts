/**
 * A small pool of worker threads running worker.ts, with a bound on batches in flight so
 * memory stays flat whatever the file size (the reader waits when workers are busy).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Cell } from '../read/types.js';
import type { BatchResult, TableSpec } from './processor.js';

/**
 * worker.js once built; when running from source (vitest, tsx), a bootstrap that registers
 * tsx's loader in the worker first, since loader flags do not reach worker threads on Node 20.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

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

  /** @param key the pseudonymisation key when publishing (null for a dry run); `scope` the breach name. */
  constructor(
    readonly size: number,
    init: { key: Uint8Array | null; scope: string },
    private readonly perWorker = 3,
  ) {
    for (let i = 0; i < size; i++) {
      const w = startWorker();
      w.on('message', (m: { t: string; seq: number; result?: BatchResult; message?: string }) => this.onMessage(i, m));
      w.on('error', (e) => this.fail(new Error(`worker ${i} failed: ${e.message}`)));
      w.postMessage({ t: 'init', key: init.key, scope: init.scope });
      this.workers.push(w);
      this.inFlight.push(0);
    }
  }

  private onMessage(i: number, m: { t: string; seq: number; result?: BatchResult; message?: string }): void {
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

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
