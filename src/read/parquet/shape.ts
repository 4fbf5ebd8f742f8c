/**
 * How a Parquet column becomes cells, as the JSON reader flattens a document: a STRUCT's
 * fields are dotted paths (`adresse.ville`), a LIST's items `tags[0]`, `tags[1]`, a MAP's
 * entries `attributs.couleur`. The paths that do not depend on the data (the leaves reached
 * through structs only) are columns from the start, in schema order; the others are added
 * when a row first has them, as the JSON reader adds a new field path (append-only, at most
 * `MAX_COLUMNS`).
 */
import type { SchemaTree } from 'hyparquet';
// hyparquet's own tests for a LIST and a MAP group: they decide how it assembles them.
import { isListLike, isMapLike } from 'hyparquet/src/schema.js';
import { MAX_COLUMNS } from '../limits.js';
import type { Cell } from '../types.js';
import { anyCell } from './cells.js';

/** Why a row could not be flattened (the JSON reader's reasons). */
type FlattenFault = 'too many columns' | 'too deep';

type Kind = 'leaf' | 'struct' | 'list' | 'map' | 'any';

/** A node of the column trie: a path of the table, what the schema says is there, its column when it is a leaf. */
export interface PathNode {
  readonly path: string;
  readonly kind: Kind;
  /** Column index of a leaf, -1 until a value has been seen there. */
  index: number;
  /** A struct's fields (fixed), a map's or a VARIANT object's keys (as seen). */
  readonly fields: Map<string, PathNode>;
  /** A list's items, as seen. */
  readonly items: PathNode[];
  /** What a list's item or a map's value is. */
  readonly element: SchemaTree | undefined;
}

function node(path: string, kind: Kind, element?: SchemaTree): PathNode {
  return { path, kind, index: -1, fields: new Map(), items: [], element };
}

/**
 * The trie node of schema element `t` at `path`; `asItem` when `t` is a repeated field seen
 * as one of its items (a legacy list: `repeated binary phones`).
 */
function shapeOf(t: SchemaTree, path: string, asItem = false): PathNode {
  if (!asItem && t.element.repetition_type === 'REPEATED') return node(path, 'list', t);
  if (t.element.logical_type?.type === 'VARIANT') return node(path, 'any');
  if (t.children.length === 0) return node(path, 'leaf');
  if (isListLike(t)) {
    const repeated = t.children[0] as SchemaTree;
    // As hyparquet assembles it: a 3-level list's item is the repeated group's one child.
    const item = repeated.children.length === 1 ? (repeated.children[0] as SchemaTree) : repeated;
    return node(path, 'list', item);
  }
  if (isMapLike(t)) {
    const kv = t.children[0] as SchemaTree;
    return node(
      path,
      'map',
      kv.children.find((c) => c.element.name === 'value'),
    );
  }
  const n = node(path, 'struct');
  for (const c of t.children) n.fields.set(c.element.name, shapeOf(c, path === '' ? c.element.name : `${path}.${c.element.name}`));
  return n;
}

/** The trie of a top-level column; its leaves reached through structs only get their columns now, in schema order. */
export function columnShape(t: SchemaTree, columns: string[]): PathNode {
  const root = shapeOf(t, t.element.name);
  const fix = (n: PathNode): void => {
    if (n.kind === 'leaf') {
      n.index = columns.length;
      columns.push(n.path);
    } else if (n.kind === 'struct') for (const c of n.fields.values()) fix(c);
  };
  fix(root);
  return root;
}

/**
 * Writes one row's value of a column (as hyparquet assembled it, leaves already cells) into
 * `row` through the trie, adding columns for paths seen for the first time.
 */
export class Flattener {
  constructor(
    private readonly columns: string[],
    private readonly maxDepth: number,
  ) {}

  /** 'ok', or why the row cannot be read (the row is then to be skipped whole). */
  write(value: unknown, n: PathNode, row: Cell[], depth = 0): 'ok' | FlattenFault {
    if (value === null || value === undefined) {
      // A missing struct, list or map has no cell; a missing leaf (a null list item) has, as in JSON.
      return n.kind === 'leaf' || (n.kind === 'any' && n.index >= 0) ? this.leaf(n, null, row) : 'ok';
    }
    if (depth >= this.maxDepth) return 'too deep';
    switch (n.kind) {
      case 'leaf':
        return this.leaf(n, typeof value === 'string' ? value : anyCell(value), row);
      case 'struct':
        if (!isRecord(value)) return this.leaf(n, anyCell(value), row);
        for (const [name, child] of n.fields) {
          const r = this.write(value[name], child, row, depth + 1);
          if (r !== 'ok') return r;
        }
        return 'ok';
      case 'list':
        if (!Array.isArray(value)) return this.leaf(n, anyCell(value), row);
        for (let i = 0; i < value.length; i++) {
          const r = this.write(value[i], this.item(n, i), row, depth + 1);
          if (r !== 'ok') return r;
        }
        return 'ok';
      case 'map':
        if (!isRecord(value)) return this.leaf(n, anyCell(value), row);
        for (const key in value) {
          const r = this.write(value[key], this.field(n, key, 'map'), row, depth + 1);
          if (r !== 'ok') return r;
        }
        return 'ok';
      default:
        // A VARIANT: any JSON-like value.
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const r = this.write(value[i], this.item(n, i), row, depth + 1);
            if (r !== 'ok') return r;
          }
          return 'ok';
        }
        if (isRecord(value)) {
          for (const key in value) {
            const r = this.write(value[key], this.field(n, key, 'any'), row, depth + 1);
            if (r !== 'ok') return r;
          }
          return 'ok';
        }
        return this.leaf(n, anyCell(value), row);
    }
  }

  private item(n: PathNode, i: number): PathNode {
    let child = n.items[i];
    if (child === undefined) {
      const path = `${n.path}[${i}]`;
      // A list's item is its element seen once: a repeated field (a legacy list) as one of its items.
      child = n.element === undefined ? node(path, 'any') : shapeOf(n.element, path, true);
      n.items[i] = child;
    }
    return child;
  }

  private field(n: PathNode, key: string, from: 'map' | 'any'): PathNode {
    let child = n.fields.get(key);
    if (child === undefined) {
      const path = `${n.path}.${key}`;
      child = from === 'map' && n.element !== undefined ? shapeOf(n.element, path) : node(path, 'any');
      n.fields.set(key, child);
    }
    return child;
  }

  private leaf(n: PathNode, cell: Cell, row: Cell[]): 'ok' | FlattenFault {
    let idx = n.index;
    if (idx < 0) {
      if (this.columns.length >= MAX_COLUMNS) return 'too many columns';
      idx = n.index = this.columns.length;
      this.columns.push(n.path);
    }
    while (row.length < idx) row.push(null);
    row[idx] = cell;
    return 'ok';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}
