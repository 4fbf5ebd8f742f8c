/**
 * ingest: files → impact report (and, unless dry-run, a published leak: see store/).
 * Reading and recognition run on the main thread; validation, normalisation and hashing of
 * each batch run on worker threads; the main thread merges counts. The steps are parts of their
 * own: planning the files (plan.ts), reading them in order (leak-reader.ts), each table's
 * recognition (table.ts), the skip policy (skips.ts), dispatching batches and accounting their
 * results (dispatch.ts), and the report (report/assemble.ts). `ingest()` joins them; `readAll()`
 * runs the load, which any failure aborts.
 */
import { assembleReport, type ImpactReport } from '../report/index.js';
import type { CommitResult } from '../store/index.js';
import { STORED_EXACT_MAX } from '../sketch.js';
import { Dispatcher } from './dispatch.js';
import { planFiles, type FilePlan } from './plan.js';
import { WorkerPool } from './pool.js';
import { PEOPLE } from './processor.js';
import { PseudonymSink } from './pseudonyms.js';
import type { PublishTarget } from './publish.js';
import { DEFAULT_MAX_SKIPPED, type SkipLimit } from './skips.js';
import { counterLimits, ImpactAccumulator, type CounterLimits } from './stats.js';
import { LeakReader, type Progress } from './leak-reader.js';

export { RecordProcessor, type BatchResult, type IdentifierSink } from './processor.js';
export { readRecognised, findHeader } from './recognised.js';
export { RowSink, type RowBatch } from './row-sink.js';
export { WorkerPool } from './pool.js';
export { DEFAULT_MAX_SKIPPED, SKIP_FLOOR, type SkipLimit } from './skips.js';

export interface BreachMeta {
  name: string;
  title?: string;
  date?: string;
  domain?: string;
  description?: string;
  sensitive?: boolean;
  /** The operator confirmed the leak is genuine (HIBP's IsVerified). */
  verified?: boolean;
}

export interface IngestOptions {
  files: string[];
  breach: BreachMeta;
  dryRun: boolean;
  /** Worker threads; 0 processes inline on the main thread. */
  workers: number;
  maxSkipped?: SkipLimit;
  /** Rows buffered per table to recognise its columns. */
  sampleRows?: number;
  /** Distinct values counted exactly per class and counting thread before switching to an estimate (default: from `memory`). */
  exactDistinctLimit?: number;
  /** The process's memory budget in bytes (`--memory`, default 1 GiB): the distinct counters get a share of it (stats.ts). */
  memory?: number;
  onProgress?: Progress;
  clock?: () => number;
  /** Where to publish (ignored for a dry run). */
  publish?: PublishTarget;
  /** Internal tuning for tests and benchmarks: bytes per block of a delimited file parsed on the workers (default 1 MiB). */
  blockBytes?: number;
}

/**
 * Reads every file, recognises and validates every record, and returns the impact report.
 * Throws a VigieError (file, position, cause) when a file cannot be read or too many
 * records are malformed; nothing is published in that case.
 */
export async function ingest(opts: IngestOptions): Promise<ImpactReport> {
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const limits = counterLimits(opts.memory, opts.workers, opts.exactDistinctLimit);
  const acc = new ImpactAccumulator(limits);
  const plan = await planFiles(opts);
  const { files, totalBytes, known } = plan;
  const { reader, committed } = await readAll(opts, plan, acc, limits, clock);
  const elapsedMs = Math.max(1, clock() - started);
  opts.onProgress?.({ bytes: totalBytes, totalBytes, records: acc.records });
  return assembleReport({
    breach: opts.breach,
    dryRun: opts.dryRun,
    files,
    warnings: reader.warnings,
    tables: reader.tables,
    records: acc.records,
    skipped: acc.skipped,
    reasons: acc.reasons,
    people: acc.distinctOf(PEOPLE),
    unidentified: acc.unidentified,
    dataClasses: acc.dataClasses(),
    elapsedMs,
    counters: limits,
    committed,
    alreadyIngested: known.length,
  });
}

/**
 * Reads the planned files through the worker pool (or inline) and, when publishing, commits the
 * load. The load has begun with the plan: any failure aborts it and records the run as failed.
 */
async function readAll(
  opts: IngestOptions,
  plan: FilePlan,
  acc: ImpactAccumulator,
  limits: CounterLimits,
  clock: () => number,
): Promise<{ reader: LeakReader; committed: CommitResult | null }> {
  const { toRead, totalBytes, publication } = plan;
  const key = publication ? (opts.publish?.key ?? null) : null;
  let workers: WorkerPool | null = null;
  try {
    // The verified domains, whose addresses' local parts are kept sealed (ADR 0008).
    const domains = publication && opts.publish ? await opts.publish.store.verifiedDomainNames() : [];
    if (opts.workers > 0) workers = new WorkerPool(opts.workers, { key, scope: opts.breach.name, domains, limits });
    const sink = key ? new PseudonymSink(key, opts.breach.name, domains) : undefined;
    const dispatcher = new Dispatcher({ acc, pool: workers, publication, sink, domains });
    const reader = new LeakReader({
      acc,
      dispatcher,
      workers,
      ...(publication ? { ready: () => publication.ready() } : {}),
      limit: opts.maxSkipped ?? DEFAULT_MAX_SKIPPED,
      sampleRows: opts.sampleRows ?? 1000,
      clock,
      totalBytes,
      onProgress: opts.onProgress,
      blockBytes: opts.blockBytes,
    });
    for (const file of toRead) await reader.read(file);
    await dispatcher.settle();
    if (workers) acc.setDistinct(await workers.distinctCounts(publication ? STORED_EXACT_MAX : undefined));
    const committed = publication
      ? await publication.commit(
          acc,
          reader.tables.map((t) => t.format),
        )
      : null;
    return { reader, committed };
  } catch (e) {
    await publication?.abort(e);
    throw e;
  } finally {
    await workers?.close();
  }
}
