/**
 * Reading the files of one ingest, in order: each file's events go through its tables'
 * recognition (table.ts), the skip policy (skips.ts) and the dispatcher (dispatch.ts), and what
 * the file gave is written into its plan entry (plan.ts) with the warnings of losses.ts.
 *
 * The state that spans files lives here, once: the records read so far (what the skip limit
 * counts against), the bytes of the files already read (progress), and the table being read.
 */
import { VigieError, type Position } from '../errors.js';
import { openBlocks, readSource, tabColumns, type ReadEvent } from '../read/index.js';
import type { ImpactReport, ReportTable, ReportWarning } from '../report/index.js';
import { readInBlocks, type BlockEvent } from './blocks.js';
import type { Dispatcher } from './dispatch.js';
import { FileAccount } from './losses.js';
import type { WorkerPool } from './pool.js';
import { checkSkips, type SkipLimit } from './skips.js';
import type { ImpactAccumulator } from './stats.js';
import { TableState } from './table.js';

/** A file to read: its entry in the report, whose records and skips are filled in. */
type FileEntry = ImpactReport['files'][number];

/** Progress as the CLI shows it: bytes of all the files to read, and records so far. */
export type Progress = (p: { bytes: number; totalBytes: number; records: number }) => void;

interface LeakReaderContext {
  acc: ImpactAccumulator;
  dispatcher: Dispatcher;
  /** With workers, a plain delimited file is parsed on them block by block (blocks.ts). */
  workers: WorkerPool | null;
  /** When publishing: back-pressure of the store before a block's result is queued. */
  ready?: () => Promise<void>;
  limit: SkipLimit;
  /** Rows buffered per table to recognise its columns. */
  sampleRows: number;
  clock: () => number;
  /** The bytes of every file to read, for progress. */
  totalBytes: number;
  onProgress?: Progress | undefined;
  blockBytes?: number | undefined;
}

/** Progress is reported at most this often (ms). */
const PROGRESS_EVERY = 100;

export class LeakReader {
  /** Every table read, in order: the report's `tables`. */
  readonly tables: ReportTable[] = [];
  /** The warnings of the files read (losses.ts). */
  readonly warnings: ReportWarning[] = [];
  /** Records read so far across the files, skips included in their position: what the skip limit counts against. */
  private rowsRead = 0;
  private bytesBefore = 0;
  private lastProgress = 0;
  private current: TableState | null = null;

  constructor(private readonly ctx: LeakReaderContext) {}

  /** Reads one file to its end; its records, skips and warnings are written into `file` and here. */
  async read(file: FileEntry): Promise<void> {
    const given = new FileAccount();
    for await (const ev of await this.events(file, given)) {
      this.ctx.dispatcher.check();
      if (ev.kind === 'block') await this.block(ev, given);
      else if (ev.kind === 'table') {
        given.passingOver = ev.meta['notRead'] !== undefined;
        if (given.passingOver) given.onBytes(given.bytes);
        await this.table(ev, file.path);
      } else if (ev.kind === 'rows') await this.rows(ev.rows, given);
      else this.skip(given, ev.reason, ev.position);
    }
    await this.finishTable();
    this.bytesBefore += file.bytes;
    file.records = given.records;
    file.skipped = given.skipped;
    this.warnings.push(...given.warnings(file.path, file.bytes));
  }

  /** The file's events: parsed on the workers block by block when it is plain delimited text, else here. */
  private async events(file: FileEntry, given: FileAccount): Promise<AsyncIterable<ReadEvent | BlockEvent>> {
    const onBytes = (b: number): void => {
      given.onBytes(b);
      this.progress(b);
    };
    const { workers } = this.ctx;
    const blocks = workers ? await openBlocks(file.path, { displayName: file.path, onBytes }, this.ctx.blockBytes) : null;
    if (!blocks || !workers) return readSource(file.path, { displayName: file.path, onBytes });
    return readInBlocks(blocks, {
      pool: workers,
      table: () => {
        const t = this.current;
        return t?.recognised ? { specId: t.specId, inline: this.ctx.dispatcher.processor(t.specId) } : null;
      },
    });
  }

  private progress(fileBytes: number): void {
    const { onProgress, clock, totalBytes, acc } = this.ctx;
    const now = clock();
    if (!onProgress || now - this.lastProgress < PROGRESS_EVERY) return;
    this.lastProgress = now;
    onProgress({ bytes: this.bytesBefore + fileBytes, totalBytes, records: acc.records });
  }

  /** A new table: the previous one's held rows dispatched first. */
  private async table(ev: Extract<ReadEvent, { kind: 'table' }>, path: string): Promise<void> {
    await this.finishTable();
    if (ev.format === 'delimited' && ev.name === path) {
      // `mysqldump --tab`'s `t.txt`: its columns named by the `t.sql` beside it.
      const named = await tabColumns(path, ev.headerRow?.length ?? ev.columns.length);
      if (named) {
        ev.columns.splice(0, ev.columns.length, ...named.columns);
        ev.meta['columnsFrom'] = named.from;
      }
    }
    const dispatcher = this.ctx.dispatcher;
    this.current = new TableState(ev, this.ctx.sampleRows, (columns) => dispatcher.define(columns));
    this.tables.push(this.current.report);
  }

  private async rows(rows: Extract<ReadEvent, { kind: 'rows' }>['rows'], given: FileAccount): Promise<void> {
    this.rowsRead += rows.length;
    given.onRecords(rows.length);
    const t = this.current;
    if (!t) return;
    for (const batch of t.rows(rows)) await this.ctx.dispatcher.dispatch(t, batch);
  }

  /** A whole block parsed elsewhere: its skips in order, each checked against the records before it. */
  private async block(ev: BlockEvent, given: FileAccount): Promise<void> {
    const t = this.current;
    if (!t) throw new VigieError('VIGIE_INTERNAL', 'a block outside a table');
    const base = this.rowsRead;
    for (const s of ev.skips) {
      this.rowsRead = base + s.rowsBefore;
      this.skip(given, s.reason, s.position);
    }
    this.rowsRead = base + ev.rows;
    given.onRecords(ev.rows);
    if (ev.rows > 0) given.bytesAtLastRecord = ev.end;
    await this.ctx.ready?.();
    this.ctx.dispatcher.later(t, ev.result);
  }

  /** A skipped record: counted for the leak, the file and its table, then held against the limit. */
  private skip(given: FileAccount, reason: string, position: Position): void {
    this.ctx.acc.skip(reason, position);
    given.onSkip(reason);
    if (this.current) this.current.report.skipped++;
    checkSkips(this.ctx.limit, this.ctx.acc.skipped, this.rowsRead, position);
  }

  /** The table being read is over: the rows it held back for recognition go out. */
  private async finishTable(): Promise<void> {
    const t = this.current;
    if (t) for (const rows of t.end()) await this.ctx.dispatcher.dispatch(t, rows);
    this.current = null;
  }
}
