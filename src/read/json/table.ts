/**
 * One table of a JSON source: flattens parsed records into rows over an append-only column
 * list, batches rows, and numbers records. Shared by the array, wrapper and NDJSON readers.
 *
 * Field paths are kept in a trie that mirrors the records (`contact.mail`, `phones[0]`), so
 * a field seen before costs one Map lookup and no string building.
 */
import type { Position } from '../../errors.js';
import { MAX_COLUMNS } from '../limits.js';
import type { Cell, ReadEvent, SourceFormat } from '../types.js';
import { extendedValue, hitSource } from './extended.js';

interface PathNode {
  /** Column name: dotted path with `[i]` for array items; '' for the record itself. */
  readonly path: string;
  /** Column index, or -1 while no leaf value has been seen at this path. */
  index: number;
  keys: Map<string, PathNode> | undefined;
  items: PathNode[] | undefined;
}

function newNode(path: string): PathNode {
  return { path, index: -1, keys: undefined, items: undefined };
}

/** Why `add()` refused a record. */
export type AddResult = 'ok' | 'too deep' | 'too many columns';

/** A non-empty array of strings only: what a header row looks like in a table of arrays. */
function isStringRow(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
}

export class JsonTable {
  /** Shared by reference with the `table` event: new paths are pushed as they appear. */
  readonly columns: string[] = [];
  /** Record number the next record gets (1-based; skipped records are numbered too). */
  next = 1;
  private readonly root = newNode('');
  private batch: Cell[][] = [];
  private batchFirst = 1;
  private announced = false;
  /** Cells of the record being flattened that hold an integer beyond 2^53 (digits may be rounded). */
  private readonly unsafe: number[] = [];
  private failure: AddResult = 'ok';
  private headerRow: Cell[] | undefined;

  constructor(
    private readonly out: ReadEvent[],
    readonly name: string,
    private readonly format: SourceFormat,
    private readonly meta: Record<string, string>,
    private readonly batchSize: number,
    private readonly maxDepth: number,
  ) {}

  /**
   * Adds one parsed record as the next row. Strings are kept as they are, booleans and
   * numbers as JavaScript prints them (`1.50` → `1.5`), except integers beyond 2^53, whose
   * digits are taken from `text`, the record's JSON source. `depth` is the nesting already
   * used around the record. Nothing is added unless the result is 'ok'.
   */
  add(value: unknown, text: string, depth: number): AddResult {
    value = this.document(value);
    if (this.next === 1 && !this.announced && isStringRow(value)) {
      // A table of arrays (a spreadsheet exported as JSON: `[["nom","email"],["Dupont",...]]`)
      // may start with its header: held back as a delimited file's first row is, so that
      // recognition decides, and numbered as record 1 like a CSV header.
      const header: Cell[] = [];
      if (!this.flatten(value, this.root, depth, header)) return this.failure;
      this.headerRow = header;
      this.next++;
      return 'ok';
    }
    this.failure = 'ok';
    this.unsafe.length = 0;
    const row: Cell[] = [];
    if (!this.flatten(value, this.root, depth, row)) return this.failure;
    if (this.unsafe.length !== 0 && !this.exactDigits(row, this.root, text, depth)) return this.failure;
    this.push(row);
    return 'ok';
  }

  /**
   * Adds one field of a row built piece by piece (the wrapper object's own fields), at the
   * key path `path`. On failure the row may be partly written: the caller drops it.
   */
  addField(row: Cell[], path: readonly string[], value: unknown, text: string, depth: number): AddResult {
    let node = this.root;
    for (const key of path) node = this.keyNode(node, key);
    this.failure = 'ok';
    this.unsafe.length = 0;
    if (!this.flatten(value, node, depth, row)) return this.failure;
    if (this.unsafe.length !== 0 && !this.exactDigits(row, node, text, depth)) return this.failure;
    return 'ok';
  }

  /**
   * JSON.parse rounds integers above 2^53 (a 19-digit card or account number would change):
   * parses the value again with every number kept as its source text, and takes from that
   * reading the cells of those integers only, so other numbers stay as in the fast path.
   */
  private exactDigits(row: Cell[], node: PathNode, text: string, depth: number): boolean {
    const cells = this.unsafe.slice();
    const exact: Cell[] = [];
    const reread: unknown = JSON.parse(quoteNumbers(text));
    if (!this.flatten(node === this.root ? (hitSource(reread) ?? reread) : reread, node, depth, exact)) return false;
    for (const idx of cells) row[idx] = exact[idx] ?? null;
    return true;
  }

  /**
   * The record a parsed value stands for: an Elasticsearch hit's `_source` (the table's
   * report then says so), else the value itself.
   */
  private document(value: unknown): unknown {
    const source = hitSource(value);
    if (source === undefined) return value;
    if (!this.announced) this.meta['documents'] = '_source';
    return source;
  }

  /** Appends a finished row (built with `addField`). */
  push(row: Cell[]): void {
    if (this.batch.length === 0) this.batchFirst = this.next;
    this.batch.push(row);
    this.next++;
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** Records a malformed record: pending rows go out first so record numbers stay exact. */
  skip(reason: string, position: Position): void {
    this.flush();
    this.announce();
    this.out.push({ kind: 'skip', reason, position });
    this.next++;
  }

  /** Emits the pending rows (the `table` event first if not yet sent). */
  flush(): void {
    if (this.batch.length === 0) return;
    this.announce();
    this.out.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }

  /** Ends the table: pending rows go out; a table with no record is still announced. */
  finish(): void {
    this.flush();
    this.announce();
  }

  private announce(): void {
    if (this.announced) return;
    this.announced = true;
    this.out.push({
      kind: 'table',
      name: this.name,
      format: this.format,
      columns: this.columns,
      meta: this.meta,
      ...(this.headerRow ? { headerRow: this.headerRow } : {}),
    });
  }

  /** Depth-first flattening; recursion is bounded by `maxDepth`. */
  private flatten(value: unknown, node: PathNode, depth: number, row: Cell[]): boolean {
    if (value === null) return this.leaf(node, null, row);
    switch (typeof value) {
      case 'string':
        return this.leaf(node, value, row);
      case 'number':
        if (!this.leaf(node, String(value), row)) return false;
        if (Number.isInteger(value) && !Number.isSafeInteger(value)) this.unsafe.push(node.index);
        return true;
      case 'boolean':
        return this.leaf(node, value ? 'true' : 'false', row);
      case 'object':
        break;
      default:
        return true;
    }
    if (!Array.isArray(value)) {
      // Extended JSON's type wrappers (`{"$date": …}`) are one value, not a nested object.
      for (const key in value) {
        if (key.charCodeAt(0) === 0x24) {
          const cell = extendedValue(value as Record<string, unknown>);
          if (cell !== undefined) return this.leaf(node, cell, row);
        }
        break;
      }
    }
    if (depth >= this.maxDepth) {
      this.failure = 'too deep';
      return false;
    }
    if (Array.isArray(value)) {
      const items = (node.items ??= []);
      for (let i = 0; i < value.length; i++) {
        const child = (items[i] ??= newNode(`${node.path}[${i}]`));
        if (!this.flatten(value[i], child, depth + 1, row)) return false;
      }
      return true;
    }
    const obj = value as Record<string, unknown>;
    for (const key in obj) {
      if (!this.flatten(obj[key], this.keyNode(node, key), depth + 1, row)) return false;
    }
    return true;
  }

  private keyNode(node: PathNode, key: string): PathNode {
    const keys = (node.keys ??= new Map());
    let child = keys.get(key);
    if (child === undefined) {
      child = newNode(node.path === '' ? key : `${node.path}.${key}`);
      keys.set(key, child);
    }
    return child;
  }

  private leaf(node: PathNode, cell: Cell, row: Cell[]): boolean {
    let idx = node.index;
    if (idx < 0) {
      if (this.columns.length >= MAX_COLUMNS) {
        this.failure = 'too many columns';
        return false;
      }
      idx = node.index = this.columns.length;
      // A record that is a bare value (not an object) gets one column named `value`.
      this.columns.push(node.path === '' ? 'value' : node.path);
    }
    if (idx < row.length) row[idx] = cell;
    else {
      while (row.length < idx) row.push(null);
      row.push(cell);
    }
    return true;
  }
}

/**
 * Returns `json` with every number outside strings turned into a string of the same text,
 * so that JSON.parse keeps all its digits. Linear, no regular expression.
 */
export function quoteNumbers(json: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < json.length && isNumberChar(json.charCodeAt(j))) j++;
      out += `${json.slice(last, i)}"${json.slice(i, j)}"`;
      last = j;
      i = j - 1;
    }
  }
  return out + json.slice(last);
}

function isNumberChar(c: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}
