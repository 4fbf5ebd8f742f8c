/**
 * The events of one spreadsheet sheet, as the xlsx, xls and ods readers emit them: a `table`
 * at the first record (its cells the header candidate, `headerRow`), columns `column_N` grown
 * as wider rows come (append-only), rows in batches, and skips after the table has started.
 */
import type { Position } from '../errors.js';
import type { Cell, ReadEvent, SourceFormat } from './types.js';

export class SheetTable {
  private columns: string[] | undefined;
  private batch: Cell[][] = [];
  private batchFirst = 0;

  constructor(
    private readonly out: Pick<ReadEvent[], 'push'>,
    private readonly name: string,
    private readonly format: SourceFormat,
    private readonly meta: Record<string, string>,
    private readonly batchSize: number,
  ) {}

  /** Record `record` of the sheet: the first starts the table as its header candidate. */
  row(cells: Cell[], record: number): void {
    const columns = this.columns;
    if (columns === undefined) {
      this.start(cells);
      return;
    }
    for (let i = columns.length; i < cells.length; i++) columns.push(`column_${i + 1}`);
    if (this.batch.length === 0) this.batchFirst = record;
    this.batch.push(cells);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** A record skipped: the batch before it out first, and the table started without a header candidate if need be. */
  skip(reason: string, position: Position): void {
    this.flush();
    if (this.columns === undefined) this.start(undefined);
    this.out.push({ kind: 'skip', reason, position });
  }

  /** Emits the batch begun. */
  flush(): void {
    if (this.batch.length === 0) return;
    this.out.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }

  private start(first: Cell[] | undefined): void {
    const columns: string[] = [];
    for (let i = 1; i <= (first?.length ?? 0); i++) columns.push(`column_${i}`);
    this.columns = columns;
    this.out.push({ kind: 'table', name: this.name, format: this.format, columns, ...(first ? { headerRow: first } : {}), meta: this.meta });
  }
}
