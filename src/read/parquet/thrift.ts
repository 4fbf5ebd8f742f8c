/**
 * A bounded walk over Thrift's compact protocol, the encoding of Parquet's footer and page
 * headers, run before hyparquet decodes the same bytes: every length is checked against the
 * bytes left, a varint longer than 10 bytes (which hyparquet would turn into an ever larger
 * BigInt, a quadratic cost) and a nesting deeper than `maxDepth` are refused, so that the
 * decoder behind it only ever meets well-framed input and does linear work.
 */

/** Why the bytes are not one compact-protocol struct; `end` when they stop before it does. */
export type ThriftFault = 'end' | 'varint' | 'depth' | 'type' | 'length';

/** Where a struct ends, the ids of its own fields, and the length of each of its own list fields. */
interface ThriftStruct {
  end: number;
  fields: ReadonlySet<number>;
  lists: ReadonlyMap<number, number>;
}

// Compact protocol types (thrift/doc/specs/thrift-compact-protocol.md).
const BOOL_TRUE = 1;
const BOOL_FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** Thrown inside the walk only, caught by `skimStruct`. */
class Fault extends Error {
  constructor(readonly fault: ThriftFault) {
    super(fault);
  }
}

class Walk {
  pos: number;
  constructor(
    private readonly b: Uint8Array,
    start: number,
    private readonly end: number,
    private readonly maxDepth: number,
  ) {
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Fault('end');
    return this.b[this.pos++] as number;
  }

  /** An unsigned LEB128 varint of at most 10 bytes; its value only when it fits a double exactly. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const c = this.byte();
      value += (c & 0x7f) * scale;
      if ((c & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Fault('varint');
  }

  skip(n: number): void {
    if (n > this.end - this.pos) throw new Fault('end');
    this.pos += n;
  }

  struct(depth: number, fields?: Set<number>, lists?: Map<number, number>): void {
    if (depth > this.maxDepth) throw new Fault('depth');
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === 0) return;
      const delta = head >> 4;
      if (delta !== 0) id += delta;
      else {
        // A full field id: a zigzag i16.
        const z = this.varint();
        if (z > 0xffff) throw new Fault('varint');
        id = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      fields?.add(id);
      if (type === BOOL_TRUE || type === BOOL_FALSE) continue;
      const size = this.value(type, depth);
      if (type === LIST) lists?.set(id, size);
    }
  }

  /** Skips one value of `type`; a list's length is returned (0 for other types). */
  value(type: number, depth: number): number {
    switch (type) {
      case BOOL_TRUE:
      case BOOL_FALSE:
      case BYTE:
        this.skip(1);
        return 0;
      case I16:
      case I32:
      case I64:
        this.varint();
        return 0;
      case DOUBLE:
        this.skip(8);
        return 0;
      case BINARY:
        this.skip(this.varint());
        return 0;
      case LIST: {
        if (depth + 1 > this.maxDepth) throw new Fault('depth');
        const head = this.byte();
        const elem = head & 0x0f;
        let size = head >> 4;
        if (size === 15) size = this.varint();
        // Every element takes one byte at least: a longer list cannot be in the bytes left.
        if (size > this.end - this.pos) throw new Fault('length');
        for (let i = 0; i < size; i++) this.value(elem, depth + 1);
        return size;
      }
      case STRUCT:
        this.struct(depth + 1);
        return 0;
      default:
        // SET, MAP and UUID appear nowhere in parquet.thrift; hyparquet refuses them too.
        throw new Fault('type');
    }
  }
}

/**
 * Walks one compact-protocol struct of `bytes` from `start`, reading nothing at or past
 * `end`. Returns where it ends, its own field ids and list lengths, or the fault met and where.
 *
 * @example
 * skimStruct(new Uint8Array([0x15, 0x02, 0x00]), 0, 3, 8) // { end: 3, fields: Set { 1 }, lists: Map {} }
 */
export function skimStruct(bytes: Uint8Array, start: number, end: number, maxDepth: number): ThriftStruct | { fault: ThriftFault; at: number } {
  const w = new Walk(bytes, start, end, maxDepth);
  const fields = new Set<number>();
  const lists = new Map<number, number>();
  try {
    w.struct(0, fields, lists);
  } catch (err) {
    if (err instanceof Fault) return { fault: err.fault, at: w.pos };
    throw err;
  }
  return { end: w.pos, fields, lists };
}
