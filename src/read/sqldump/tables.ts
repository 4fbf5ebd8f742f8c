/**
 * Turns the rows a dump parser finds into `ReadEvent`s: a `table` event when the data's table
 * (or its column list) changes, `rows` batches, and `skip` events in file order.
 */
import type { Position } from '../../errors.js';
import type { Cell, ReadEvent, SourceFormat } from '../types.js';

/** Where the coming records go: set by each INSERT or COPY statement. */
interface Target {
  table: string;
  /** Column names the dump states (INSERT or COPY list, else CREATE TABLE), or null if none. */
  columns: string[] | null;
  columnsFrom: string;
  statement: string;
}

interface Active extends Target {
  /** The array yielded in the table event: generated names may be pushed onto it (append-only). */
  eventColumns: string[];
}

/** Collects rows and skips into ordered `ReadEvent`s, one table event per run of a table. */
export class TableEmitter {
  /** Events ready to be yielded, in order. The reader drains it after each chunk. */
  out: ReadEvent[] = [];
  private target: Target | null = null;
  private active: Active | null = null;
  private batch: Cell[][] = [];
  private batchFirst = 1;
  private nextRecord = 1;

  constructor(
    private readonly file: string,
    private readonly format: SourceFormat,
    private readonly batchSize: number,
    private readonly extraMeta: Record<string, string> = {},
  ) {}

  /** Declares the table of the records that follow; no event until a record arrives. */
  setTarget(table: string, columns: string[] | null, columnsFrom: string, statement: string): void {
    this.target = { table, columns, columnsFrom, statement };
  }

  /**
   * A table the dump holds but that is not read: a table event without rows, its reason in
   * `notRead`, once per run of statements into it.
   */
  passOver(table: string, why: string): void {
    if (this.passedOver === table) return;
    this.passedOver = table;
    this.flush();
    this.active = null; // the rows of the next statement start a table event again, even of the table before
    this.target = null;
    this.out.push({ kind: 'table', name: `${this.file}:${table}`, format: this.format, columns: [], meta: { table, notRead: why, ...this.extraMeta } });
  }

  private passedOver = '';

  /** Whether any table event has been emitted. */
  get started(): boolean {
    return this.active !== null || this.passedOver !== '';
  }

  /** Adds a complete row; a row whose length disagrees with the columns becomes a skip. */
  row(cells: Cell[], line: number): void {
    const t = this.ensure();
    if (t.eventColumns.length === 0 && cells.length > 0) {
      // No column names in the dump: generate them from the first row (append-only contract).
      for (let i = 1; i <= cells.length; i++) t.eventColumns.push(`column_${i}`);
    }
    if (cells.length !== t.eventColumns.length) {
      this.skip('field count', line);
      return;
    }
    if (this.batch.length === 0) this.batchFirst = this.nextRecord;
    this.batch.push(cells);
    this.nextRecord++;
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** Records a malformed record of the current statement's table. */
  skip(reason: string, line: number): void {
    const t = this.ensure();
    this.flush();
    const position: Position = { file: this.file, table: t.table, line, record: this.nextRecord++ };
    this.out.push({ kind: 'skip', reason, position });
  }

  /**
   * A problem outside any record (an unterminated string in a statement that holds no data):
   * reported after the last table's events, or thrown by the caller if no table began.
   */
  orphanSkip(reason: string, line: number): void {
    this.flush();
    this.out.push({ kind: 'skip', reason, position: { file: this.file, line } });
  }

  /** Emits the pending batch. */
  flush(): void {
    if (this.batch.length === 0) return;
    this.out.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }

  /** Takes the events ready so far. */
  take(): ReadEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private ensure(): Active {
    const t = this.target;
    if (t === null) throw new Error('TableEmitter: record before any INSERT or COPY');
    const a = this.active;
    if (a !== null && a.table === t.table && (t.columns === null ? a.columns === null : sameColumns(a.columns, t.columns))) {
      return a;
    }
    this.flush();
    this.passedOver = '';
    const eventColumns = t.columns === null ? [] : t.columns.slice();
    const active: Active = { ...t, eventColumns };
    this.active = active;
    this.nextRecord = 1;
    this.out.push({
      kind: 'table',
      name: `${this.file}:${t.table}`,
      format: this.format,
      columns: eventColumns,
      meta: {
        table: t.table,
        statement: t.statement,
        columnsFrom: t.columns === null ? 'generated' : t.columnsFrom,
        ...this.extraMeta,
      },
    });
    return active;
  }
}

function sameColumns(a: string[] | null, b: string[]): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
