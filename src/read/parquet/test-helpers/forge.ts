/**
 * Test support (imported by tests only): Parquet files forged byte by byte, to say exactly
 * what a hostile file says (a codec, a run of 2^30 levels, a row spread over two pages, a
 * schema of a million columns), with a Thrift compact-protocol writer of a few lines.
 * Enumerations are parquet.thrift's numbers.
 */

/** A Thrift value: the field types Parquet's footer and page headers use. */
type TValue = { i32: number } | { i64: number | bigint } | { bin: string | Uint8Array } | { list: TValue[]; of: 'i32' | 'bin' | 'struct' } | { struct: Fields };
export type Fields = [number, TValue][];

const TYPE = { i32: 5, i64: 6, bin: 8, list: 9, struct: 12 } as const;

function typeOf(v: TValue): number {
  if ('i32' in v) return TYPE.i32;
  if ('i64' in v) return TYPE.i64;
  if ('bin' in v) return TYPE.bin;
  if ('list' in v) return TYPE.list;
  return TYPE.struct;
}

function varint(out: number[], n: bigint): void {
  let v = n;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

const zigzag = (n: bigint): bigint => (n >= 0n ? n << 1n : (-n << 1n) - 1n);

function value(out: number[], v: TValue): void {
  if ('i32' in v) varint(out, zigzag(BigInt(v.i32)));
  else if ('i64' in v) varint(out, zigzag(BigInt(v.i64)));
  else if ('bin' in v) {
    const b = typeof v.bin === 'string' ? Buffer.from(v.bin, 'utf8') : v.bin;
    varint(out, BigInt(b.length));
    for (const x of b) out.push(x);
  } else if ('list' in v) {
    const t = TYPE[v.of];
    if (v.list.length < 15) out.push((v.list.length << 4) | t);
    else {
      out.push(0xf0 | t);
      varint(out, BigInt(v.list.length));
    }
    for (const item of v.list) value(out, item);
  } else struct(out, v.struct);
}

function struct(out: number[], fields: Fields): void {
  let last = 0;
  for (const [id, v] of fields) {
    const t = typeOf(v);
    if (id > last && id - last <= 15) out.push(((id - last) << 4) | t);
    else {
      out.push(t);
      varint(out, zigzag(BigInt(id)));
    }
    last = id;
    value(out, v);
  }
  out.push(0);
}

/** A struct in Thrift's compact protocol. */
export function thrift(fields: Fields): Buffer {
  const out: number[] = [];
  struct(out, fields);
  return Buffer.from(out);
}

export const T = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export const R = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
export const CODEC = { UNCOMPRESSED: 0, SNAPPY: 1, LZO: 3 } as const;
export const ENC = { PLAIN: 0, RLE: 3, DELTA_BYTE_ARRAY: 7, RLE_DICTIONARY: 8 } as const;
export const CONVERTED = { UTF8: 0, LIST: 3 } as const;

/** A schema leaf. */
export function leaf(name: string, type: number, repetition: number, converted?: number): Fields {
  const f: Fields = [
    [1, { i32: type }],
    [3, { i32: repetition }],
    [4, { bin: name }],
  ];
  if (converted !== undefined) f.push([6, { i32: converted }]);
  return f;
}

/** A schema group of `children` fields (the root when `repetition` is undefined). */
export function group(name: string, children: number, repetition?: number, converted?: number): Fields {
  const f: Fields = [];
  if (repetition !== undefined) f.push([3, { i32: repetition }]);
  f.push([4, { bin: name }], [5, { i32: children }]);
  if (converted !== undefined) f.push([6, { i32: converted }]);
  return f;
}

/** A version 1 data page: its header then `body`. */
export function dataPage(numValues: number, body: Uint8Array, encoding: number = ENC.PLAIN, uncompressed = body.length): Buffer {
  const header = thrift([
    [1, { i32: 0 }],
    [2, { i32: uncompressed }],
    [3, { i32: body.length }],
    [
      5,
      {
        struct: [
          [1, { i32: numValues }],
          [2, { i32: encoding }],
          [3, { i32: ENC.RLE }],
          [4, { i32: ENC.RLE }],
        ],
      },
    ],
  ]);
  return Buffer.concat([header, body]);
}

/** A dictionary page of PLAIN values. */
export function dictionaryPage(numValues: number, body: Uint8Array): Buffer {
  const header = thrift([
    [1, { i32: 2 }],
    [2, { i32: body.length }],
    [3, { i32: body.length }],
    [
      7,
      {
        struct: [
          [1, { i32: numValues }],
          [2, { i32: ENC.PLAIN }],
        ],
      },
    ],
  ]);
  return Buffer.concat([header, body]);
}

/** INT32 values, PLAIN. */
export function plainInt32(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => {
    b.writeInt32LE(v, i * 4);
  });
  return b;
}

/** BYTE_ARRAY values, PLAIN: each a 4-byte length and its UTF-8 bytes. */
export function plainStrings(values: string[]): Buffer {
  return Buffer.concat(
    values.map((s) => {
      const v = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(v.length);
      return Buffer.concat([len, v]);
    }),
  );
}

/** Levels (or indices) of one byte each as RLE runs of one value, the hybrid encoding at its plainest. */
export function rleRuns(values: number[]): Buffer {
  return Buffer.from(values.flatMap((v) => [2, v]));
}

/** Hybrid-encoded bytes preceded by their length, as version 1 pages write levels. */
export function framed(runs: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(runs.length);
  return Buffer.concat([len, runs]);
}

export interface ForgedChunk {
  /** The leaf's path below the root. */
  path: string[];
  type: number;
  codec?: number;
  /** Values (levels) announced; the pages' values by default. */
  numValues: number;
  /** Its pages, headers included, one after the other. */
  pages: Buffer[];
  /** What the footer says of it instead of the truth: its first page's offset, its byte size. */
  claims?: { offset?: number; size?: number };
}

/**
 * A whole file: `PAR1`, the chunks of each row group in order, the footer (FileMetaData with
 * `schema` and the row groups, and `extra` fields), its length, `PAR1`.
 */
export function parquetFile(schema: Fields[], rowGroups: { rows: number; chunks: ForgedChunk[] }[], extra: Fields = []): Buffer {
  const parts: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  let total = 0;
  const groups: TValue[] = rowGroups.map((g) => {
    total += g.rows;
    const chunks: TValue[] = g.chunks.map((c) => {
      const bytes = Buffer.concat(c.pages);
      const start = c.claims?.offset ?? offset;
      const size = c.claims?.size ?? bytes.length;
      parts.push(bytes);
      offset += bytes.length;
      return {
        struct: [
          [2, { i64: start }],
          [
            3,
            {
              struct: [
                [1, { i32: c.type }],
                [2, { list: [{ i32: ENC.PLAIN }, { i32: ENC.RLE }], of: 'i32' }],
                [3, { list: c.path.map((p) => ({ bin: p })), of: 'bin' }],
                [4, { i32: c.codec ?? CODEC.UNCOMPRESSED }],
                [5, { i64: c.numValues }],
                [6, { i64: size }],
                [7, { i64: size }],
                [9, { i64: start }],
              ],
            },
          ],
        ],
      };
    });
    return {
      struct: [
        [1, { list: chunks, of: 'struct' }],
        [2, { i64: 0 }],
        [3, { i64: g.rows }],
      ],
    };
  });
  const footer = thrift([
    [1, { i32: 1 }],
    [2, { list: schema.map((s) => ({ struct: s })), of: 'struct' }],
    [3, { i64: total }],
    [4, { list: groups, of: 'struct' }],
    ...extra,
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  parts.push(footer, len, Buffer.from('PAR1'));
  return Buffer.concat(parts);
}

/**
 * DELTA_BINARY_PACKED integers `first, first + delta, first + 2 delta…` (`count` of them): a
 * header (blocks of 128 values in 4 miniblocks), then one block whose miniblocks all have a
 * bit width of 0, every delta being the block's minimum.
 */
export function deltaPacked(first: number, delta: number, count: number): Buffer {
  const out: number[] = [];
  varint(out, 128n);
  varint(out, 4n);
  varint(out, BigInt(count));
  varint(out, zigzag(BigInt(first)));
  if (count > 1) {
    varint(out, zigzag(BigInt(delta)));
    out.push(0, 0, 0, 0);
  }
  return Buffer.from(out);
}
