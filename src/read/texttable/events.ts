/**
 * The events of one source's text tables, as both readers of this folder emit them (the
 * bordered and aligned tables of index.ts, the one-field-per-line records of vertical.ts):
 * tables named after the file (`file`, then `file:2`, `file:3`...), their records in batches,
 * and skips placed at a line and, inside a table, at a record number that counts them too.
 */
import type { Position } from '../../errors.js';
import type { Cell, ReadEvent } from '../types.js';

/** Skip reasons of the text readers. */
export type SkipReason = 'field count' | 'record too long' | 'too many columns' | 'not a table row';

export class TableEvents {
  private events: ReadEvent[] = [];
  private batch: Cell[][] = [];
  private batchFirst = 1;
  /** Records of the current table so far, skipped ones included. */
  private records = 0;
  /** Tables opened so far. */
  tables = 0;

  constructor(
    private readonly file: string,
    private readonly batchSize: number,
  ) {}

  /** Whether the current table has a record yet (read or skipped). */
  get hasRecords(): boolean {
    return this.records > 0;
  }

  *drain(): Generator<ReadEvent> {
    if (this.events.length === 0) return;
    const out = this.events;
    this.events = [];
    yield* out;
  }

  /**
   * Opens the next table: the batch of the one before is flushed first. A `headerRow` is a first
   * line that may be a header or a record, for the recogniser to decide (sqlite3 prints a header
   * only with `.headers on`).
   */
  openTable(columns: string[], meta: Record<string, string>, headerRow?: Cell[]): void {
    this.flush();
    this.tables++;
    this.records = 0;
    this.batchFirst = 1;
    const name = this.tables === 1 ? this.file : `${this.file}:${this.tables}`;
    this.events.push({ kind: 'table', name, format: 'texttable', columns, meta, ...(headerRow ? { headerRow } : {}) });
  }

  record(cells: Cell[]): void {
    this.records++;
    if (this.batch.length === 0) this.batchFirst = this.records;
    this.batch.push(cells);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** A record of the current table skipped: it takes its record number. */
  recordSkip(reason: SkipReason, line: number): void {
    this.flush();
    this.records++;
    const position: Position = { file: this.tables <= 1 ? this.file : `${this.file}:${this.tables}`, line, record: this.records };
    this.events.push({ kind: 'skip', reason, position });
  }

  /** A line outside any table. */
  outsideSkip(reason: SkipReason, line: number): void {
    this.events.push({ kind: 'skip', reason, position: { file: this.file, line } });
  }

  flush(): void {
    if (this.batch.length === 0) return;
    this.events.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }
}
