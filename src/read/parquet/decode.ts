/**
 * The inside of a data page, once decompressed: its levels and values are checked before
 * hyparquet decodes them (`checkPage`), and the pages of a flat column (no repetition, one
 * level of nulls at most) in the usual encodings, PLAIN and dictionary, are decoded here
 * (`flatPage`) into cells made only when a row takes them: no object per value is held for
 * the page's lifetime, which keeps garbage collection cheap.
 */
import type { Encoding } from 'hyparquet';
import { deltaBinaryUnpack } from 'hyparquet/src/delta.js';
import type { Cell } from '../types.js';
import type { CellFormat } from './cells.js';
import type { Leaf } from './layout.js';
import { bitWidth, framedHybrid, hybrid, PageFault } from './levels.js';

/** A data page, decompressed: V2's levels then its values, as one buffer. */
export interface PageBytes {
  bytes: Uint8Array;
  /** Values announced, nulls included (levels). */
  n: number;
  encoding: Encoding;
  /** DATA_PAGE_V2: its levels' byte lengths and nulls, from its header. */
  v2?: { repLen: number; defLen: number; nulls: number };
}

/** Where a page's values start, how many there are (not null), and its definition levels when it has some. */
interface PageLevels {
  start: number;
  values: number;
  def: Uint8Array | undefined;
}

/** A flat column's page: its rows' cells, made when asked. */
export interface FlatPage {
  readonly length: number;
  cell(i: number): Cell;
}

/** A page of values hyparquet decoded (one per row, null for a null), formatted when asked. */
export function arrayPage(raw: ArrayLike<unknown>, f: CellFormat): FlatPage {
  return { length: raw.length, cell: (i) => f(raw[i]) };
}

/** Checks a page's repetition and definition levels and decodes the latter; as hyparquet reads them (`datapage.js`). */
export function pageLevels(p: PageBytes, leaf: Leaf, maxBytes: number): PageLevels {
  const b = p.bytes;
  const end = b.length;
  let def: Uint8Array | undefined;
  let start: number;
  let values: number;
  if (p.v2 === undefined) {
    start = 0;
    if (leaf.maxRep > 0) start = framedHybrid(b, start, end, bitWidth(leaf.maxRep), p.n);
    if (leaf.maxDef > 0) {
      def = new Uint8Array(p.n);
      start = framedHybrid(b, start, end, bitWidth(leaf.maxDef), p.n, def);
    }
    values = def === undefined ? p.n : count(def, leaf.maxDef);
  } else {
    const { repLen, defLen, nulls } = p.v2;
    if (leaf.maxRep > 0) hybrid(b, 0, end, bitWidth(leaf.maxRep), p.n);
    if (leaf.maxDef > 0) {
      def = new Uint8Array(p.n);
      hybrid(b, repLen, end, bitWidth(leaf.maxDef), p.n, def);
    }
    start = repLen + defLen;
    values = p.n - nulls;
  }
  if (start > end) throw new PageFault('levels longer than their page');
  checkValues(p, start, values, leaf, maxBytes);
  return { start, values, def };
}

function count(def: Uint8Array, max: number): number {
  let k = 0;
  for (let i = 0; i < def.length; i++) if (def[i] === max) k++;
  return k;
}

/** Checks the values' encoded runs where hyparquet would trust them: hybrid runs, and the lengths DELTA_BYTE_ARRAY allocates. */
function checkValues(p: PageBytes, start: number, values: number, leaf: Leaf, maxBytes: number): void {
  const b = p.bytes;
  const end = b.length;
  const type = leaf.physical.type;
  switch (p.encoding) {
    case 'PLAIN_DICTIONARY':
    case 'RLE_DICTIONARY':
    case 'RLE':
      if (p.v2 === undefined ? type === 'BOOLEAN' : p.encoding === 'RLE') framedHybrid(b, start, end, 1, values);
      else if (start < end) {
        const width = b[start] as number;
        // A version 1 page of width 0 is all zeros, not read; version 2 reads runs even then.
        if (width !== 0 || p.v2 !== undefined) hybrid(b, start + 1, end, width, values);
      } else if (values > 0) throw new PageFault('dictionary indices missing');
      return;
    case 'DELTA_BYTE_ARRAY':
      checkDeltaByteArray(b, start, values, maxBytes);
      return;
    default:
      return;
  }
}

/**
 * DELTA_BYTE_ARRAY makes each value its prefix of the previous one plus a suffix: a hostile
 * page could announce prefixes of gigabytes. The lengths are decoded (as hyparquet will) and
 * must describe values that fit `maxBytes` in all.
 */
function checkDeltaByteArray(b: Uint8Array, start: number, values: number, maxBytes: number): void {
  const reader = { view: new DataView(b.buffer, b.byteOffset, b.byteLength), offset: start };
  const prefix = new Int32Array(values);
  const suffix = new Int32Array(values);
  try {
    deltaBinaryUnpack(reader, values, prefix);
    deltaBinaryUnpack(reader, values, suffix);
  } catch {
    throw new PageFault('DELTA_BYTE_ARRAY lengths cannot be decoded');
  }
  let previous = 0;
  let total = 0;
  let stored = 0;
  for (let i = 0; i < values; i++) {
    const pre = prefix[i] as number;
    const suf = suffix[i] as number;
    if (pre < 0 || suf < 0 || pre > previous) throw new PageFault('DELTA_BYTE_ARRAY lengths out of range');
    previous = pre + suf;
    total += previous;
    stored += suf;
  }
  if (stored > b.length - reader.offset) throw new PageFault('DELTA_BYTE_ARRAY values longer than their page');
  if (total > maxBytes) throw new PageFault(`DELTA_BYTE_ARRAY values of more than ${maxBytes} bytes in all`);
}

/**
 * A flat column's page decoded here, or undefined when hyparquet is to decode it (another
 * encoding, INT96). `dictionary` holds the column's dictionary entries as cells.
 */
export function flatPage(p: PageBytes, levels: PageLevels, leaf: Leaf, dictionary: readonly Cell[] | undefined): FlatPage | undefined {
  const { start, values, def } = levels;
  const value =
    p.encoding === 'PLAIN_DICTIONARY' || p.encoding === 'RLE_DICTIONARY'
      ? dictionaryValues(p, start, values, dictionary)
      : p.encoding === 'PLAIN'
        ? plainValues(p.bytes, start, values, leaf)
        : undefined;
  if (value === undefined) return undefined;
  const n = p.n;
  // A version 2 header counts its nulls apart from the levels: they must agree.
  const mismatch = (k: number) => new PageFault(`${k} values in the levels, ${values} in the header`);
  if (def === undefined) {
    if (values !== n) throw mismatch(n);
    return { length: n, cell: value };
  }
  // Nulls have no value: the row's value index, -1 for a null.
  const index = new Int32Array(n);
  const max = leaf.maxDef;
  let k = 0;
  for (let i = 0; i < n; i++) index[i] = def[i] === max ? k++ : -1;
  if (k !== values) throw mismatch(k);
  if (values === n) return { length: n, cell: value };
  return {
    length: n,
    cell: (i) => {
      const v = index[i] as number;
      return v < 0 ? null : value(v);
    },
  };
}

function dictionaryValues(p: PageBytes, start: number, values: number, dictionary: readonly Cell[] | undefined): ((k: number) => Cell) | undefined {
  if (dictionary === undefined) throw new PageFault('a dictionary-encoded page without its dictionary');
  const b = p.bytes;
  const indices = new Int32Array(values);
  if (values > 0) {
    if (start >= b.length) throw new PageFault('dictionary indices missing');
    const width = b[start] as number;
    if (width !== 0 || p.v2 !== undefined) hybrid(b, start + 1, b.length, width, values, indices);
    const size = dictionary.length;
    for (let k = 0; k < values; k++) {
      const v = indices[k] as number;
      if (v < 0 || v >= size) throw new PageFault('a dictionary index out of range');
    }
  }
  return (k) => dictionary[indices[k] as number] as Cell;
}

/** PLAIN values of a fixed-size or BYTE_ARRAY type, read in place; undefined for INT96. */
function plainValues(b: Uint8Array, start: number, values: number, leaf: Leaf): ((k: number) => Cell) | undefined {
  const f = leaf.format;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fixed = (size: number): void => {
    if (values * size > b.length - start) throw new PageFault('values longer than their page');
  };
  switch (leaf.physical.type) {
    case 'BOOLEAN':
      if (Math.ceil(values / 8) > b.length - start) throw new PageFault('values longer than their page');
      return (k) => f((((b[start + (k >> 3)] as number) >> (k & 7)) & 1) === 1);
    case 'INT32':
      fixed(4);
      return (k) => f(dv.getInt32(start + 4 * k, true));
    case 'INT64':
      fixed(8);
      return (k) => f(dv.getBigInt64(start + 8 * k, true));
    case 'FLOAT':
      fixed(4);
      return (k) => f(dv.getFloat32(start + 4 * k, true));
    case 'DOUBLE':
      fixed(8);
      return (k) => f(dv.getFloat64(start + 8 * k, true));
    case 'FIXED_LEN_BYTE_ARRAY': {
      const size = leaf.physical.type_length ?? 0;
      fixed(size);
      return (k) => f(b.subarray(start + size * k, start + size * (k + 1)));
    }
    case 'BYTE_ARRAY': {
      const at = new Int32Array(values + 1);
      let q = start;
      for (let k = 0; k < values; k++) {
        if (b.length - q < 4) throw new PageFault('values longer than their page');
        const len = dv.getUint32(q, true);
        q += 4;
        if (len > b.length - q) throw new PageFault('values longer than their page');
        at[k] = q;
        q += len;
      }
      at[values] = q + 4;
      // Each value is followed by the next one's 4-byte length: its end is the next start less 4.
      const end = (k: number): number => (at[k + 1] as number) - 4;
      if (leaf.text) {
        const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        return (k) => buf.toString('utf8', at[k] as number, end(k));
      }
      return (k) => f(b.subarray(at[k] as number, end(k)));
    }
    default:
      return undefined;
  }
}
