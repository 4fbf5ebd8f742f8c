/**
 * The columns of a table whose records name their fields (XML rows): placed by name, a name the
 * columns lack appended, a column a record lacks left null, a name given twice in a record (a
 * `SELECT a.nom, b.nom`) its next column of that name.
 */
import { MAX_COLUMNS } from './limits.js';
import type { Cell } from './types.js';

export class NamedColumns {
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
