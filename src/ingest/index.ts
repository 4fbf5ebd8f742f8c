/**
 * ingest: files → impact report (and, unless dry-run, a published leak: see store/).
 * Reading and recognition run on the main thread; validation, normalisation and hashing of
 * each batch run on worker threads; the main thread merges counts. The steps are parts of their
 * own: planning the files (plan.ts), each table's recognition (table.ts), the skip policy
 * (skips.ts), dispatching batches and accounting their results (dispatch.ts), and the report
 * (report/assemble.ts).
 */
import { VigieError, type Position } from '../errors.js';
import { openBlocks, readSource, tabColumns } from '../read/index.js';
import { assembleReport, type ImpactReport, type ReportTable, type ReportWarning } from '../report/index.js';
import type { CommitResult } from '../store/index.js';
import { STORED_EXACT_MAX } from '../sketch.js';
import { readInBlocks } from './blocks.js';
import { Dispatcher } from './dispatch.js';
import { FileAccount } from './losses.js';
import { planFiles } from './plan.js';
import { WorkerPool } from './pool.js';
import { PEOPLE } from './processor.js';
import { PseudonymSink } from './pseudonyms.js';
import type { PublishTarget } from './publish.js';
import { checkSkips, DEFAULT_MAX_SKIPPED, type SkipLimit } from './skips.js';
import { counterLimits, ImpactAccumulator } from './stats.js';
import { TableState } from './table.js';

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
  onProgress?: (p: { bytes: number; totalBytes: number; records: number }) => void;
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
  const sampleRows = opts.sampleRows ?? 1000;
  const limit = opts.maxSkipped ?? DEFAULT_MAX_SKIPPED;
  const limits = counterLimits(opts.memory, opts.workers, opts.exactDistinctLimit);
  const acc = new ImpactAccumulator(limits);
  const { files, toRead, totalBytes, publication, known } = await planFiles(opts);
  const warnings: ReportWarning[] = [];
  const tables: ReportTable[] = [];
  const key = publication ? opts.publish!.key : null;
  let pool: WorkerPool | null = null;
  let committed: CommitResult | null = null;
  // The load has begun: from here on any failure aborts it and records the run as failed.
  try {
    // The verified domains, whose addresses' local parts are kept sealed (ADR 0008).
    const domains = publication ? await opts.publish!.store.verifiedDomainNames() : [];
    const workers = opts.workers > 0 ? new WorkerPool(opts.workers, { key, scope: opts.breach.name, domains, limits }) : null;
    pool = workers; // closed in `finally`
    const sink = key ? new PseudonymSink(key, opts.breach.name, domains) : undefined;
    const dispatcher = new Dispatcher({ acc, pool: workers, publication, sink, domains });
    let bytesBefore = 0;
    let lastProgress = 0;
    let rowsRead = 0;
    let current: TableState | null = null;

    const finishTable = async (): Promise<void> => {
      const t = current;
      if (t) for (const rows of t.end()) await dispatcher.dispatch(t, rows);
      current = null;
    };

    /** Reads one file: its events through the tables, the skip policy and the dispatcher; its counts into its entry. */
    const readFile = async (file: (typeof toRead)[number]): Promise<void> => {
      const given = new FileAccount();
      /** A skipped record: counted for the leak, the file and its table, then held against the limit. */
      const skip = (t: TableState | null, reason: string, position: Position): void => {
        acc.skip(reason, position);
        given.onSkip(reason);
        if (t) t.report.skipped++;
        checkSkips(limit, acc.skipped, rowsRead, position);
      };
      const onBytes = (b: number): void => {
        given.bytes = b;
        const now = clock();
        if (opts.onProgress && now - lastProgress >= 100) {
          lastProgress = now;
          opts.onProgress({ bytes: bytesBefore + b, totalBytes, records: acc.records });
        }
      };
      // A plain delimited file is parsed on the workers, block by block (blocks.ts); any other file here.
      const blocks = workers ? await openBlocks(file.path, { displayName: file.path, onBytes }, opts.blockBytes) : null;
      const events =
        blocks && workers
          ? readInBlocks(blocks, {
              pool: workers,
              table: () => {
                const t = current as TableState | null;
                return t?.recognised ? { specId: t.specId, inline: dispatcher.processor(t.specId) } : null;
              },
            })
          : readSource(file.path, { displayName: file.path, onBytes });
      for await (const ev of events) {
        dispatcher.check();
        if (ev.kind === 'block') {
          // A whole block parsed elsewhere: its skips in order, each checked against the records before it.
          const t = current as TableState | null;
          if (!t) throw new VigieError('VIGIE_INTERNAL', 'a block outside a table');
          const base = rowsRead;
          for (const s of ev.skips) {
            rowsRead = base + s.rowsBefore;
            skip(t, s.reason, s.position);
          }
          rowsRead = base + ev.rows;
          given.onRecords(ev.rows);
          if (ev.rows > 0) given.bytesAtLastRecord = ev.end;
          if (publication) await publication.ready();
          dispatcher.later(t, ev.result);
          continue;
        }
        if (ev.kind === 'table') {
          await finishTable();
          if (ev.format === 'delimited' && ev.name === file.path) {
            // `mysqldump --tab`'s `t.txt`: its columns named by the `t.sql` beside it.
            const named = await tabColumns(file.path, ev.headerRow?.length ?? ev.columns.length);
            if (named) {
              ev.columns.splice(0, ev.columns.length, ...named.columns);
              ev.meta['columnsFrom'] = named.from;
            }
          }
          current = new TableState(ev, sampleRows, (columns) => dispatcher.define(columns));
          tables.push(current.report);
        } else if (ev.kind === 'rows') {
          rowsRead += ev.rows.length;
          given.onRecords(ev.rows.length);
          const t = current as TableState | null;
          if (!t) continue;
          for (const rows of t.rows(ev.rows)) await dispatcher.dispatch(t, rows);
        } else skip(current, ev.reason, ev.position);
      }
      await finishTable();
      bytesBefore += file.bytes;
      file.records = given.records;
      file.skipped = given.skipped;
      warnings.push(...given.warnings(file.path, file.bytes));
    };

    for (const file of toRead) await readFile(file);
    await dispatcher.settle();
    if (workers) acc.setDistinct(await workers.distinctCounts(publication ? STORED_EXACT_MAX : undefined));
    if (publication)
      committed = await publication.commit(
        acc,
        tables.map((t) => t.format),
      );
  } catch (e) {
    await publication?.abort(e);
    throw e;
  } finally {
    await pool?.close();
  }

  const elapsedMs = Math.max(1, clock() - started);
  opts.onProgress?.({ bytes: totalBytes, totalBytes, records: acc.records });
  return assembleReport({
    breach: opts.breach,
    dryRun: opts.dryRun,
    files,
    warnings,
    tables,
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
