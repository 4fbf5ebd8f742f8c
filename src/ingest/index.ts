/**
 * ingest: files → impact report (and, unless dry-run, a published leak: see store/).
 * Reading and recognition run on the main thread; validation, normalisation and hashing of
 * each batch run on worker threads; the main thread merges counts.
 */
import { stat } from 'node:fs/promises';
import { systemCause, VigieError, type Position } from '../errors.js';
import { openBlocks, readSource } from '../read/index.js';
import type { Cell, ReadEvent } from '../read/index.js';
import { recogniseTable, type ColumnSpec } from '../recognise/index.js';
import type { ImpactReport, ReportTable, ReportWarning } from '../report/index.js';
import { FileAccount } from './losses.js';
import { WorkerPool } from './pool.js';
import { readInBlocks } from './blocks.js';
import { PEOPLE, RecordProcessor, type BatchResult, type TableSpec } from './processor.js';
import { counterLimits, estimateWarning, ImpactAccumulator } from './stats.js';
import { Publication, sha256File, type PublishTarget } from './publish.js';
import { PseudonymSink, unpackAliases } from './pseudonyms.js';
import type { CommitResult } from '../store/index.js';
import { STORED_EXACT_MAX } from '../sketch.js';

export { RecordProcessor, type BatchResult, type IdentifierSink } from './processor.js';
export { readRecognised, findHeader } from './recognised.js';
export { RowSink, type RowBatch } from './row-sink.js';
export { WorkerPool } from './pool.js';

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

export interface SkipLimit {
  /** Fail past this many skipped records... */
  count?: number;
  /**
   * ...or past this share of the records read so far (skipped ones included), checked from the
   * first record: fail when skipped > max(`SKIP_FLOOR`, share × records read so far).
   */
  share?: number;
}

/** Skips always tolerated under a share limit, so that a few title lines never fail a small file. */
export const SKIP_FLOOR = 10;

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

export const DEFAULT_MAX_SKIPPED: SkipLimit = { share: 0.05 };

/** What the report shows of recognised columns: names already masked by recognise/. */
function reportColumns(columns: ColumnSpec[]): ReportTable['columns'] {
  return columns.map((c) => ({ name: c.name, dataClass: c.dataClass, confidence: c.confidence, evidence: c.evidence }));
}

interface TableState {
  event: Extract<ReadEvent, { kind: 'table' }>;
  sample: Cell[][];
  recognised: ColumnSpec[] | null;
  report: ReportTable;
  specId: number;
  width: number;
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
  const files: ImpactReport['files'] = [];
  const warnings: ReportWarning[] = [];
  for (const f of opts.files) {
    try {
      files.push({ path: f, bytes: (await stat(f)).size, records: 0, skipped: 0 });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const why = (code === undefined ? undefined : systemCause(code)) ?? code ?? 'unreadable';
      throw new VigieError('VIGIE_FILE_NOT_FOUND', `cannot open file (${why})`, { position: { file: f }, cause });
    }
  }
  let publication: Publication | null = null;
  let toRead = files;
  let known: string[] = [];
  if (!opts.dryRun) {
    if (!opts.publish) throw new VigieError('VIGIE_INTERNAL', 'no store to publish to');
    // A file's digest is its identity: a file already in this leak is never counted twice.
    const digests = await Promise.all(files.map((f) => sha256File(f.path)));
    publication = await Publication.begin(opts.publish, opts.breach, digests);
    const fresh = new Set(publication.load.newDigests);
    known = [...publication.load.knownDigests];
    toRead = files.filter((_, i) => {
      const d = digests[i]!;
      if (!fresh.has(d)) return false;
      fresh.delete(d); // the same file named twice is read once
      return true;
    });
  }
  const totalBytes = toRead.reduce((n, f) => n + f.bytes, 0);
  const tables: ReportTable[] = [];
  const key = publication ? opts.publish!.key : null;
  // The verified domains, whose addresses' local parts are kept sealed (ADR 0008).
  const domains = publication ? await opts.publish!.store.verifiedDomainNames() : [];
  const pool = opts.workers > 0 ? new WorkerPool(opts.workers, { key, scope: opts.breach.name, domains, limits }) : null;
  const sink = key ? new PseudonymSink(key, opts.breach.name, domains) : undefined;
  const inline = new Map<number, RecordProcessor>();
  const pending = new Set<Promise<void>>();
  let specs = 0;
  let failure: unknown = null;
  let bytesBefore = 0;
  let lastProgress = 0;

  const defineSpec = (columns: ColumnSpec[]): number => {
    const id = specs++;
    const spec: TableSpec = { columns: columns.map((c) => ({ index: c.index, kind: c.kind, confidence: c.confidence })) };
    pool?.defineTable(id, spec);
    inline.set(id, new RecordProcessor(spec, sink));
    return id;
  };

  const account = (t: TableState, r: BatchResult): void => {
    acc.merge(r);
    t.report.records += r.records;
    if (publication && r.pseudonyms && r.masks) void publication.write(r.pseudonyms, r.masks);
    if (publication && r.aliases) publication.load.writeAliases(unpackAliases(r.aliases, domains));
  };

  /** Accounts a result a worker will send; the first failure stops the ingest at the next event. */
  const accountLater = (t: TableState, result: Promise<BatchResult>): void => {
    const p = result.then(
      (r) => account(t, r),
      (e: unknown) => {
        failure ??= e;
      },
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const dispatch = async (t: TableState, rows: Cell[][]): Promise<void> => {
    if (rows.length === 0) return;
    if (publication) await publication.ready();
    if (!pool) {
      account(t, inline.get(t.specId)!.process(rows));
      return;
    }
    if (!pool.hasFreeSlot()) {
      // Every worker is busy: rather than wait, the main thread processes this batch itself
      // (no copy to a worker, no thread crossing), and hands its hashes to the workers' shards.
      const r = inline.get(t.specId)!.process(rows);
      pool.sendHashes(r.hashes, r.hashClass, r.hashCount);
      account(t, { ...r, hashCount: 0 });
      return;
    }
    const { done } = await pool.submit(t.specId, rows);
    accountLater(t, done);
  };

  const recognise = async (t: TableState): Promise<void> => {
    const { event } = t;
    const rec = recogniseTable({ columns: event.columns, headerRow: event.headerRow, sample: t.sample, table: event.name });
    t.recognised = rec.columns;
    t.width = event.columns.length;
    t.report.columns = reportColumns(rec.columns);
    t.specId = defineSpec(rec.columns);
    const rows = t.sample;
    if (event.headerRow && !rec.hasHeader) rows.unshift(event.headerRow);
    t.sample = [];
    for (let i = 0; i < rows.length; i += 1024) await dispatch(t, rows.slice(i, i + 1024));
  };

  /** JSON sources may reveal new field paths after recognition: recognise those on the batch at hand. */
  const widen = (t: TableState, rows: Cell[][]): void => {
    const cols = t.event.columns;
    const rec = recogniseTable({ columns: cols, sample: rows, table: t.event.name }).columns;
    const merged = [...t.recognised!, ...rec.slice(t.recognised!.length)];
    t.recognised = merged;
    t.width = cols.length;
    t.report.columns = reportColumns(merged);
    t.specId = defineSpec(merged);
  };

  const checkSkips = (position: Position): void => {
    const over =
      (limit.count !== undefined && acc.skipped > limit.count) ||
      // Against records read, not records processed: worker results lag behind the reader.
      (limit.share !== undefined && acc.skipped > Math.max(SKIP_FLOOR, limit.share * (acc.skipped + rowsRead)));
    if (over) {
      const bound = limit.count ?? `${(limit.share ?? 0) * 100} % of ${acc.skipped + rowsRead} records read, at least ${SKIP_FLOOR}`;
      throw new VigieError('VIGIE_TOO_MANY_SKIPPED', `too many malformed records (${acc.skipped} skipped; limit ${bound}); nothing was published`, {
        position,
      });
    }
  };

  let current: TableState | null = null;
  let rowsRead = 0;
  const finishTable = async (): Promise<void> => {
    if (current && !current.recognised) await recognise(current);
    current = null;
  };

  let committed: CommitResult | null = null;
  try {
    for (const file of toRead) {
      const given = new FileAccount();
      /** A skipped record: counted for the leak, the file and its table, then held against the limit. */
      const skip = (t: TableState | null, reason: string, position: Position): void => {
        acc.skip(reason, position);
        given.onSkip(reason);
        if (t) t.report.skipped++;
        checkSkips(position);
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
      const blocks = pool ? await openBlocks(file.path, { displayName: file.path, onBytes }, opts.blockBytes) : null;
      const events =
        blocks && pool
          ? readInBlocks(blocks, {
              pool,
              table: () => {
                const t = current as TableState | null;
                return t?.recognised ? { specId: t.specId, inline: inline.get(t.specId)! } : null;
              },
            })
          : readSource(file.path, { displayName: file.path, onBytes });
      for await (const ev of events) {
        if (failure) throw failure;
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
          accountLater(t, ev.result);
          continue;
        }
        if (ev.kind === 'table') {
          await finishTable();
          const report: ReportTable = { name: ev.name, format: ev.format, records: 0, skipped: 0, meta: ev.meta, columns: [] };
          tables.push(report);
          current = { event: ev, sample: [], recognised: null, report, specId: -1, width: 0 };
        } else if (ev.kind === 'rows') {
          rowsRead += ev.rows.length;
          given.onRecords(ev.rows.length);
          const t = current;
          if (!t) continue;
          if (!t.recognised) {
            for (const r of ev.rows) t.sample.push(r);
            if (t.sample.length >= sampleRows) await recognise(t);
          } else {
            if (t.event.columns.length > t.width) widen(t, ev.rows);
            await dispatch(t, ev.rows);
          }
        } else skip(current, ev.reason, ev.position);
      }
      await finishTable();
      bytesBefore += file.bytes;
      file.records = given.records;
      file.skipped = given.skipped;
      warnings.push(...given.warnings(file.path, file.bytes));
    }
    await Promise.all(pending);
    if (failure) throw failure;
    if (pool) acc.setDistinct(await pool.distinctCounts(publication ? STORED_EXACT_MAX : undefined));
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
  const b = opts.breach;
  const report: ImpactReport = {
    breach: b.name,
    title: b.title ?? b.name,
    breachDate: b.date ?? null,
    domain: b.domain ?? null,
    description: b.description ?? null,
    isSensitive: b.sensitive ?? false,
    dryRun: opts.dryRun,
    files,
    warnings,
    records: acc.records,
    skipped: acc.skipped,
    skippedReasons: Object.fromEntries(acc.reasons),
    people: acc.distinctOf(PEOPLE).size,
    unidentified: acc.unidentified,
    dataClasses: acc.dataClasses(),
    tables,
    elapsedMs,
    recordsPerSecond: (acc.records / elapsedMs) * 1000,
  };
  const peopleError = acc.distinctOf(PEOPLE).error;
  if (peopleError > 0) report.peopleStandardError = peopleError;
  const estimated = estimateWarning(report, limits);
  if (estimated) warnings.push(estimated);
  if (committed) {
    report.published = {
      changed: committed.changed,
      inserted: committed.inserted,
      identifiers: committed.entry.stats.identifiers,
      pwnCount: committed.entry.breach.PwnCount,
      ...(committed.entry.stats.peopleStandardError ? { pwnCountStandardError: committed.entry.stats.peopleStandardError } : {}),
      alreadyIngested: known.length,
    };
  }
  return report;
}
