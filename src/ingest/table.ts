/**
 * One table of a file while it is read: its rows buffered as a sample until its columns are
 * recognised, then handed on in batches; its line of the report; and the processor spec its
 * batches go to, defined again when a JSON source reveals new field paths.
 */
import type { Cell, ReadEvent } from '../read/index.js';
import { recogniseTable, type ColumnSpec } from '../recognise/index.js';
import type { ReportTable } from '../report/index.js';

type TableEvent = Extract<ReadEvent, { kind: 'table' }>;

/** Rows per batch handed on from the recognised sample. */
const SAMPLE_BATCH = 1024;

/** What the report shows of recognised columns: names already masked by recognise/. */
function reportColumns(columns: ColumnSpec[]): ReportTable['columns'] {
  return columns.map((c) => ({ name: c.name, dataClass: c.dataClass, confidence: c.confidence, evidence: c.evidence }));
}

export class TableState {
  /** The table's line of the report: its columns once recognised; its records and skips are counted by the ingest. */
  readonly report: ReportTable;
  private columns: ColumnSpec[] | null = null;
  private spec = -1;
  private sample: Cell[][] = [];
  /** The columns the latest recognition saw. */
  private width = 0;

  /**
   * @param event the reader's `table` event; its `columns` may grow while the table is read (JSON).
   * @param sampleRows rows buffered to recognise the columns.
   * @param define defines the processor spec for recognised columns and returns its id.
   */
  constructor(
    readonly event: TableEvent,
    private readonly sampleRows: number,
    private readonly define: (columns: ColumnSpec[]) => number,
  ) {
    this.report = { name: event.name, format: event.format, records: 0, skipped: 0, meta: event.meta, columns: [] };
  }

  /** The recognised columns; null while the sample fills. */
  get recognised(): ColumnSpec[] | null {
    return this.columns;
  }

  /** The processor spec of the latest recognition (-1 before). */
  get specId(): number {
    return this.spec;
  }

  /**
   * Takes a batch of rows read in this table and returns the batches to process now: none while
   * the sample fills, the whole sample once it holds `sampleRows` rows, the batch itself after.
   */
  rows(rows: Cell[][]): Cell[][][] {
    if (!this.columns) {
      for (const r of rows) this.sample.push(r);
      return this.sample.length >= this.sampleRows ? this.recognise() : [];
    }
    if (this.event.columns.length > this.width) this.widen(this.columns, rows);
    return [rows];
  }

  /** The end of the table: a table shorter than the sample is recognised now, and its sample returned in batches. */
  end(): Cell[][][] {
    return this.columns ? [] : this.recognise();
  }

  /** Recognises the sample; the held-back first row becomes data when it is no header. */
  private recognise(): Cell[][][] {
    const { event } = this;
    const rec = recogniseTable({ columns: event.columns, headerRow: event.headerRow, sample: this.sample, table: event.name });
    this.columns = rec.columns;
    this.width = event.columns.length;
    this.report.columns = reportColumns(rec.columns);
    this.spec = this.define(rec.columns);
    const rows = this.sample;
    if (event.headerRow && !rec.hasHeader) rows.unshift(event.headerRow);
    this.sample = [];
    const batches: Cell[][][] = [];
    for (let i = 0; i < rows.length; i += SAMPLE_BATCH) batches.push(rows.slice(i, i + SAMPLE_BATCH));
    return batches;
  }

  /** JSON sources may reveal new field paths after recognition: recognise those on the batch at hand. */
  private widen(known: ColumnSpec[], rows: Cell[][]): void {
    const cols = this.event.columns;
    const rec = recogniseTable({ columns: cols, sample: rows, table: this.event.name }).columns;
    const merged = [...known, ...rec.slice(known.length)];
    this.columns = merged;
    this.width = cols.length;
    this.report.columns = reportColumns(merged);
    this.spec = this.define(merged);
  }
}
