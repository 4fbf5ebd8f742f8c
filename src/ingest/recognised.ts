/**
 * Reads a file and recognises each table's columns the way the ingest does (a sample of rows,
 * then `recogniseTable`; a held-back first row that is no header goes back as data; JSON field
 * paths found later are recognised on the batch that brings them), for the commands that read
 * a file without publishing it: `vigie match` and `vigie verify-claim`.
 */
import type { Position } from '../errors.js';
import { readSource, type Cell, type ReadEvent, type SourceFormat } from '../read/index.js';
import { recogniseTable, type ColumnSpec } from '../recognise/index.js';

type RecognisedEvent =
  | {
      kind: 'table';
      name: string;
      format: SourceFormat;
      /** Each column's name as the file writes it (header cell or field path), for the caller's own lookups. */
      headers: string[];
      columns: ColumnSpec[];
      /** True when the same table goes on with more columns (JSON): rebuild what depends on them. */
      widened: boolean;
    }
  | { kind: 'rows'; rows: Cell[][] }
  | { kind: 'skip'; reason: string; position: Position };

interface RecognisedOptions {
  /** Rows buffered per table before recognising it. Default 1000, as the ingest. */
  sampleRows?: number;
  /**
   * A column name the caller knows the file has (`--id-column`): a held-back first row that
   * holds it is a header, whatever the values say.
   */
  knownHeader?: string;
}

/** Whether `cells` hold `name`: exactly, else regardless of case and surrounding spaces. */
export function findHeader(cells: readonly (Cell | undefined)[], name: string): number {
  const exact = cells.indexOf(name);
  if (exact >= 0) return exact;
  const want = name.trim().toLowerCase();
  return cells.findIndex((c) => c != null && c.trim().toLowerCase() === want);
}

/** The tables of `path` with their recognised columns, then their rows (sample included, in order). */
export async function* readRecognised(path: string, opts: RecognisedOptions = {}): AsyncGenerator<RecognisedEvent> {
  const sampleRows = opts.sampleRows ?? 1000;
  let table: Extract<ReadEvent, { kind: 'table' }> | null = null;
  let sample: Cell[][] = [];
  let recognised: ColumnSpec[] | null = null;
  let headers: string[] = [];
  let width = 0;

  function* recognise(t: Extract<ReadEvent, { kind: 'table' }>): Generator<RecognisedEvent> {
    let rec = recogniseTable({ columns: t.columns, headerRow: t.headerRow, sample });
    let hasHeader = rec.hasHeader;
    if (!hasHeader && t.headerRow && opts.knownHeader !== undefined && findHeader(t.headerRow, opts.knownHeader) >= 0) {
      rec = recogniseTable({ columns: t.headerRow.map((c, i) => c ?? `column_${i + 1}`), sample });
      hasHeader = true;
    }
    recognised = rec.columns;
    headers = rec.columns.map((c, i) => (hasHeader ? (t.headerRow?.[i] ?? '') : (t.columns[i] ?? c.name)));
    width = t.columns.length;
    yield { kind: 'table', name: t.name, format: t.format, headers, columns: recognised, widened: false };
    if (t.headerRow && !hasHeader) sample.unshift(t.headerRow);
    if (sample.length > 0) yield { kind: 'rows', rows: sample };
    sample = [];
  }

  for await (const ev of readSource(path, { displayName: path })) {
    if (ev.kind === 'table') {
      if (table && !recognised) yield* recognise(table);
      table = ev;
      sample = [];
      recognised = null;
    } else if (ev.kind === 'rows') {
      if (!table) continue;
      if (!recognised) {
        for (const r of ev.rows) sample.push(r);
        if (sample.length >= sampleRows) yield* recognise(table);
        continue;
      }
      if (table.columns.length > width) {
        const more = recogniseTable({ columns: table.columns, sample: ev.rows }).columns;
        recognised = [...recognised, ...more.slice(recognised.length)];
        headers = [...headers, ...table.columns.slice(headers.length)];
        width = table.columns.length;
        yield { kind: 'table', name: table.name, format: table.format, headers, columns: recognised, widened: true };
      }
      yield { kind: 'rows', rows: ev.rows };
    } else yield { kind: 'skip', reason: ev.reason, position: ev.position };
  }
  if (table && !recognised) yield* recognise(table);
}
