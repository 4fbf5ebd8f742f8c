/**
 * The columns of a table whose records name their fields (XML rows): placed by name, a name the
 * columns lack appended, a column a record lacks left null, a name given twice in a record (a
 * `SELECT a.nom, b.nom`) its next column of that name.
 */
import { MAX_COLUMNS } from './limits.js';
import type { Position } from '../errors.js';
import type { Cell, ReadEvent, SourceFormat } from './types.js';

class NamedColumns {
  /** Column name → its positions, in order. */
  private readonly index = new Map<string, number[]>();

  /** `columns` is the table event's own array: it grows (append-only) as records name new fields. */
  constructor(readonly columns: string[]) {
    for (let i = 0; i < columns.length; i++) this.indexColumn(columns[i] ?? '', i);
  }

  /** The record's cells in column order; undefined when it would take the table past `MAX_COLUMNS`. */
  place(names: string[], values: Cell[]): Cell[] | undefined {
    const columns = this.columns;
    if (names.length === columns.length && names.every((n, i) => n === columns[i])) return values;
    const cells: Cell[] = new Array<Cell>(columns.length).fill(null);
    const seen = new Map<string, number>();
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? '';
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      let at = this.index.get(name)?.[k];
      if (at === undefined) {
        if (columns.length >= MAX_COLUMNS) return undefined;
        at = columns.length;
        columns.push(name);
        cells.push(null);
        this.indexColumn(name, at);
      }
      cells[at] = values[i] ?? null;
    }
    return cells;
  }

  private indexColumn(name: string, at: number): void {
    const list = this.index.get(name);
    if (list) list.push(at);
    else this.index.set(name, [at]);
  }
}

/** Where a `NamedTable`'s events go and what they say of it. */
interface NamedTableOptions {
  out: ReadEvent[];
  file: string;
  /** The table's name in positions (`table` of a skip); its event is named `file:table`. */
  table: string;
  format: SourceFormat;
  meta: Record<string, string>;
  batchSize: number;
}

/**
 * One run of records of a table whose records name their fields: its `table` event at once,
 * then its records placed by name in batches, or skipped with their line and number.
 */
export class NamedTable {
  /** The number the next record gets (1 for the first). */
  next = 1;
  private batch: Cell[][] = [];
  private batchFirst = 1;
  private readonly columns: NamedColumns;

  /** `columns`: the first record's names, or those a structure declared. */
  constructor(
    private readonly o: NamedTableOptions,
    columns: string[],
  ) {
    this.columns = new NamedColumns(columns);
    o.out.push({ kind: 'table', name: `${o.file}:${o.table}`, format: o.format, columns, meta: o.meta });
  }

  /** A record: its fields placed, or a skip for `failure` (or too many columns) at `line`. */
  record(names: string[], values: Cell[], failure: string | undefined, line: number): void {
    if (failure === undefined) {
      const cells = this.columns.place(names, values);
      if (cells !== undefined) {
        if (this.batch.length === 0) this.batchFirst = this.next;
        this.batch.push(cells);
        this.next++;
        if (this.batch.length >= this.o.batchSize) this.flush();
        return;
      }
    }
    this.flush();
    const position: Position = { file: this.o.file, table: this.o.table, line, record: this.next++ };
    this.o.out.push({ kind: 'skip', reason: failure ?? 'too many columns', position });
  }

  /** Emits the pending batch. */
  flush(): void {
    if (this.batch.length === 0) return;
    this.o.out.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }
}
