/**
 * Where each batch of recognised rows is processed, and how its counts come back: inline on the
 * main thread without workers; on a worker when one has a free slot; on the main thread when
 * every worker is busy (its hashes then go to the workers' shards). Every result is merged into
 * the ingest's figures and its table's records and, when publishing, its pseudonyms and aliases
 * queued for the store, whose back-pressure pauses the reader.
 */
import { VigieError } from '../errors.js';
import type { Cell } from '../read/index.js';
import type { ColumnSpec } from '../recognise/index.js';
import type { ReportTable } from '../report/index.js';
import type { Load } from '../store/index.js';
import type { WorkerPool } from './pool.js';
import { RecordProcessor, type BatchResult, type TableSpec } from './processor.js';
import { unpackAliases, type PseudonymSink } from './pseudonyms.js';
import type { ImpactAccumulator } from './stats.js';

/** What dispatching needs of the workers (pool.ts). */
type Workers = Pick<WorkerPool, 'defineTable' | 'hasFreeSlot' | 'submit' | 'sendHashes'>;

/** What dispatching needs of the publication (publish.ts `Publication`): queued writes, back-pressure, aliases. */
interface Outlet {
  write(pseudonyms: Uint8Array, masks: Uint32Array): Promise<void>;
  ready(): Promise<void>;
  readonly load: Pick<Load, 'writeAliases'>;
}

/** The table a batch belongs to: its processor spec, and its report line whose records are counted. */
interface Target {
  readonly specId: number;
  readonly report: ReportTable;
}

export class Dispatcher {
  private specs = 0;
  private readonly inline = new Map<number, RecordProcessor>();
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly ctx: {
      acc: ImpactAccumulator;
      /** null: every batch is processed inline. */
      pool: Workers | null;
      /** null for a dry run. */
      publication: Outlet | null;
      /** The pseudonymiser of the inline processors (none for a dry run). */
      sink?: PseudonymSink;
      /** The verified domains, whose aliases the workers pack (pseudonyms.ts). */
      domains: readonly string[];
    },
  ) {}

  /** Defines the processor spec for recognised columns, on the workers and here; returns its id. */
  define(columns: ColumnSpec[]): number {
    const id = this.specs++;
    const spec: TableSpec = { columns: columns.map((c) => ({ index: c.index, kind: c.kind, confidence: c.confidence })) };
    this.ctx.pool?.defineTable(id, spec);
    this.inline.set(id, new RecordProcessor(spec, this.ctx.sink));
    return id;
  }

  /** The main thread's processor of a spec. */
  processor(specId: number): RecordProcessor {
    const p = this.inline.get(specId);
    if (!p) throw new VigieError('VIGIE_INTERNAL', `no processor for table spec ${specId}`);
    return p;
  }

  /** Processes a batch of a table, after waiting for the store when too much is queued for it. */
  async dispatch(t: Target, rows: Cell[][]): Promise<void> {
    if (rows.length === 0) return;
    const { pool, publication } = this.ctx;
    if (publication) await publication.ready();
    if (!pool) {
      this.account(t, this.processor(t.specId).process(rows));
      return;
    }
    if (!pool.hasFreeSlot()) {
      // Every worker is busy: rather than wait, the main thread processes this batch itself
      // (no copy to a worker, no thread crossing), and hands its hashes to the workers' shards.
      const r = this.processor(t.specId).process(rows);
      pool.sendHashes(r.hashes, r.hashClass, r.hashCount);
      this.account(t, { ...r, hashCount: 0 });
      return;
    }
    const { done } = await pool.submit(t.specId, rows);
    this.later(t, done);
  }

  /** Accounts a result a worker will send; the first failure stops the ingest at the next `check`. */
  later(t: Target, result: Promise<BatchResult>): void {
    const p = result.then(
      (r) => this.account(t, r),
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Throws the first failure of a result accounted `later`, if one has come back. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Waits for every result still to come, then throws the first failure, if any. */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
    this.check();
  }

  private account(t: Target, r: BatchResult): void {
    const { acc, publication, domains } = this.ctx;
    acc.merge(r);
    t.report.records += r.records;
    if (publication && r.pseudonyms && r.masks) void publication.write(r.pseudonyms, r.masks);
    if (publication && r.aliases) publication.load.writeAliases(unpackAliases(r.aliases, domains));
  }
}
