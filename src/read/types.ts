import type { Position } from '../errors.js';

/** A cell as read: text, or null for SQL NULL / `\N` / JSON null. Empty string is not null. */
export type Cell = string | null;

export type SourceFormat =
  | 'delimited'
  | 'json'
  | 'ndjson'
  | 'mysqldump'
  | 'mysqlxml'
  | 'xml'
  | 'spreadsheetml'
  | 'pgdump'
  | 'pgcustom'
  | 'xlsx'
  | 'xls'
  | 'ods'
  | 'sqlite'
  | 'bson'
  | 'gzip'
  | 'bzip2'
  | 'xz'
  | 'zstd'
  | 'zip'
  | 'tar'
  | 'texttable'
  | 'ldif'
  | 'vcard'
  | 'parquet'
  | 'html';

/**
 * What a reader yields, in order. A source is a sequence of tables; each `table` event
 * starts one and is followed by its `rows` and `skip` events.
 *
 * - `columns` is append-only for a table: a JSON reader may discover new field paths as it
 *   goes and push them; a row shorter than `columns` lacks the trailing fields.
 * - `headerRow` (delimited text only) is the first row, held back: the recogniser decides
 *   whether it is a header (then `columns` takes its values) or data (then it is the first record).
 */
export type ReadEvent =
  | {
      kind: 'table';
      /** Display name: file name, `file.sql:users`, `archive.zip:inner.csv`, `book.xlsx:Sheet1`, `book.xls:Feuil1`, `book.ods:Feuille1`. */
      name: string;
      format: SourceFormat;
      /** Column names when the format states them (SQL, JSON); generated `column_1..n` otherwise. */
      columns: string[];
      /** Delimited text, xlsx, xls and ods sheets: the first row, undecided between header and data. */
      headerRow?: Cell[];
      /** Details for the report: encoding, delimiter, ... */
      meta: Record<string, string>;
    }
  | {
      kind: 'rows';
      rows: Cell[][];
      /** Position of the first row in this batch (1-based record number within the table). */
      firstRecord: number;
    }
  | {
      kind: 'skip';
      /** Short stable reason, e.g. `field count`, `unclosed quote`, `record too long`, `invalid JSON`. */
      reason: string;
      position: Position;
    };

export interface ReadOptions {
  /** Name shown in messages and reports (the path as the user gave it). */
  displayName: string;
  /** Called with the number of raw (on-disk) bytes consumed so far, for progress. */
  onBytes?: (bytes: number) => void;
  /** Rows per `rows` event. Default `DEFAULT_BATCH_SIZE` (`limits.ts`: 1024). */
  batchSize?: number;
  /** Longest record (decoded characters) accepted before it is skipped as malformed. Default `DEFAULT_MAX_RECORD_CHARS` (`limits.ts`: 1 MiB). */
  maxRecordChars?: number;
  /** Deepest JSON nesting (XML elements, for `mysqlxml`) accepted. Default 64. */
  maxDepth?: number;
  /** Hint only: never required, content decides when it disagrees. */
  formatHint?: SourceFormat;
}

/**
 * A reader of one format over decoded text. Readers over bytes (archives) wrap these.
 * Unreadable input throws a VigieError naming file, position and cause; a malformed record
 * yields a `skip` event and reading goes on.
 */
export type TextReader = (text: AsyncIterable<string>, opts: ReadOptions) => AsyncIterable<ReadEvent>;
