/**
 * Parquet files forged byte by byte (`test-helpers/forge.ts`): what no writer makes but a
 * hostile or damaged file says, each refused with the right code, quickly and within bounded
 * memory; and what writers rarely make (a row spread over two pages, DELTA_BYTE_ARRAY).
 */
import { describe, expect, it } from 'vitest';
import { MAX_COLUMNS } from '../limits.js';
import { fromBytes, type Read } from './test-helpers/duckdb.js';
import {
  CODEC,
  CONVERTED,
  deltaPacked,
  dataPage,
  dictionaryPage,
  ENC,
  type Fields,
  type ForgedChunk,
  framed,
  group,
  leaf,
  parquetFile,
  plainInt32,
  plainStrings,
  R,
  rleRuns,
  T,
  thrift,
} from './test-helpers/forge.js';

const FILE = 'forged.parquet';
const read = (bytes: Buffer): Promise<Read> => fromBytes(bytes, FILE);

/** `n INT32 REQUIRED, nom UTF8 OPTIONAL`: 1 Ana, 2 NULL, 3 Éric. */
const SCHEMA: Fields[] = [group('schema', 2), leaf('n', T.INT32, R.REQUIRED), leaf('nom', T.BYTE_ARRAY, R.OPTIONAL, CONVERTED.UTF8)];
const idChunk = (values: number[], codec?: number): ForgedChunk => ({
  path: ['n'],
  type: T.INT32,
  numValues: values.length,
  pages: [dataPage(values.length, plainInt32(values))],
  ...(codec === undefined ? {} : { codec }),
});
const nomChunk = (body: Buffer = Buffer.concat([framed(rleRuns([1, 0, 1])), plainStrings(['Ana', 'Éric'])]), numValues = 3): ForgedChunk => ({
  path: ['nom'],
  type: T.BYTE_ARRAY,
  numValues,
  pages: [dataPage(numValues, body)],
});
const simple = (nom: ForgedChunk = nomChunk(), rows = 3, id: ForgedChunk = idChunk([1, 2, 3])): Buffer => parquetFile(SCHEMA, [{ rows, chunks: [id, nom] }]);

/** A footer framed as a file: `PAR1`, the footer, its length, `PAR1`. */
function frame(footer: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  return Buffer.concat([Buffer.from('PAR1'), footer, len, Buffer.from('PAR1')]);
}

/** The error of a read that must fail, quickly. */
async function refusal(bytes: Buffer, code: string): Promise<Error & { position?: unknown }> {
  const t = performance.now();
  const r = await read(bytes);
  expect(performance.now() - t).toBeLessThan(2000);
  expect(r.error).toMatchObject({ name: 'VigieError', code, position: { file: FILE } });
  return r.error as Error;
}

describe('forged Parquet files', () => {
  it('reads a well-formed one (the forge is right): PLAIN values, nulls from definition levels', async () => {
    const r = await read(simple());
    expect(r.error).toBeUndefined();
    expect(r.columns).toEqual(['n', 'nom']);
    expect(r.rows).toEqual([
      ['1', 'Ana'],
      ['2', null],
      ['3', 'Éric'],
    ]);
  });

  it('reads dictionary pages, and refuses an index outside the dictionary', async () => {
    const dict = dictionaryPage(2, plainStrings(['Dupont', 'Martin']));
    // Three values, indices 1 0 1, bit width 1.
    const page = (indices: number[]) => dataPage(3, Buffer.concat([framed(rleRuns([1, 1, 1])), Buffer.from([1]), rleRuns(indices)]), ENC.RLE_DICTIONARY);
    const nom = (indices: number[]): ForgedChunk => ({ path: ['nom'], type: T.BYTE_ARRAY, numValues: 3, pages: [dict, page(indices)] });
    const r = await read(simple(nom([1, 0, 1])));
    expect(r.rows.map((row) => row[1])).toEqual(['Martin', 'Dupont', 'Martin']);
    const err = await refusal(simple(nom([1, 0, 5])), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('a dictionary index out of range');
  });

  it('refuses LZO, and a codec of no known number, by name and with what to do', async () => {
    for (const [codec, name] of [
      [CODEC.LZO, 'LZO'],
      [99, 'an unknown codec'],
    ] as const) {
      const err = await refusal(simple(nomChunk(), 3, idChunk([1, 2, 3], codec)), 'VIGIE_BAD_FORMAT');
      expect(err.message).toContain(`compressed with ${name}, which Vigie does not read`);
      expect(err.message).toContain('COMPRESSION zstd');
    }
  });

  it('refuses a run of 2^29 levels in five bytes (hyparquet would grow an array to that size) before decoding it', async () => {
    // RLE run header: count << 1, as a varint.
    const bomb = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x02, 0x01]);
    const err = await refusal(simple(nomChunk(Buffer.concat([framed(bomb), plainStrings(['Ana'])]))), 'VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/row group 1 of 1, column nom: a data page cannot be decoded: a run longer than the values left/);
    expect(err.position).toEqual({ file: FILE, record: 1, byte: expect.any(Number) });
    // The same as dictionary indices; and a run header past 2^31.
    const dict = dictionaryPage(1, plainStrings(['Dupont']));
    const indices = dataPage(3, Buffer.concat([framed(rleRuns([1, 1, 1])), Buffer.from([1]), bomb]), ENC.RLE_DICTIONARY);
    await refusal(simple({ path: ['nom'], type: T.BYTE_ARRAY, numValues: 3, pages: [dict, indices] }), 'VIGIE_BAD_FORMAT');
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const e2 = await refusal(simple(nomChunk(Buffer.concat([framed(huge), plainStrings(['Ana'])]))), 'VIGIE_BAD_FORMAT');
    expect(e2.message).toContain('a run of more than 2^30 values');
  });

  it('refuses DELTA_BYTE_ARRAY prefixes of a gigabyte, and reads honest ones', async () => {
    const schema: Fields[] = [group('schema', 1), leaf('nom', T.BYTE_ARRAY, R.REQUIRED, CONVERTED.UTF8)];
    const file = (body: Buffer) =>
      parquetFile(schema, [{ rows: 2, chunks: [{ path: ['nom'], type: T.BYTE_ARRAY, numValues: 2, pages: [dataPage(2, body, ENC.DELTA_BYTE_ARRAY)] }] }]);
    // Prefixes 0 1, suffixes "ab" "c": ab, ac.
    const honest = await read(file(Buffer.concat([deltaPacked(0, 1, 2), deltaPacked(2, -1, 2), Buffer.from('abc')])));
    expect(honest.error).toBeUndefined();
    expect(honest.rows).toEqual([['ab'], ['ac']]);
    // The second value would take 2^30 bytes of the first, which has 2.
    const err = await refusal(file(Buffer.concat([deltaPacked(0, 2 ** 30, 2), deltaPacked(2, 0, 2), Buffer.from('abcd')])), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('DELTA_BYTE_ARRAY lengths out of range');
  });

  it('reads a list whose row goes on from one page to the next (version 1 pages), nulls and empty lists', async () => {
    // tags: optional group (LIST) { repeated group list { optional binary element (UTF8) } }: levels up to 3, repeated once.
    const schema: Fields[] = [
      group('schema', 2),
      leaf('id', T.INT32, R.REQUIRED),
      group('tags', 1, R.OPTIONAL, CONVERTED.LIST),
      group('list', 1, R.REPEATED),
      leaf('element', T.BYTE_ARRAY, R.OPTIONAL, CONVERTED.UTF8),
    ];
    const page = (rep: number[], def: number[], values: string[]) =>
      dataPage(rep.length, Buffer.concat([framed(rleRuns(rep)), framed(rleRuns(def)), plainStrings(values)]));
    const tags: ForgedChunk = {
      path: ['tags', 'list', 'element'],
      type: T.BYTE_ARRAY,
      numValues: 6,
      // Row 1 is a b | c: its third item is on the second page. Then d; a null list; an empty list.
      pages: [page([0, 1], [3, 3], ['a', 'b']), page([1, 0, 0, 0], [3, 3, 0, 1], ['c', 'd'])],
    };
    const r = await read(parquetFile(schema, [{ rows: 4, chunks: [{ ...idChunk([1, 2, 3, 4]), path: ['id'] }, tags] }]));
    expect(r.error).toBeUndefined();
    expect(r.columns).toEqual(['id', 'tags[0]', 'tags[1]', 'tags[2]']);
    expect(r.rows).toEqual([['1', 'a', 'b', 'c'], ['2', 'd'], ['3'], ['4']]);
  });

  it('refuses pages that do not fit their row group or chunk', async () => {
    // Fewer rows than the row group announces.
    let err = await refusal(simple(nomChunk(), 5, idChunk([1, 2, 3, 4, 5])), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('column nom: it holds 3 rows of the 5 announced');
    // A page of more values than rows left.
    err = await refusal(simple(nomChunk(), 3, { path: ['n'], type: T.INT32, numValues: 10, pages: [dataPage(10, plainInt32([1, 2, 3]))] }), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('a page of 10 values where 3 rows are left');
    // A page of 20 million values, announced in a few bytes.
    await refusal(simple(nomChunk(), 3, { path: ['n'], type: T.INT32, numValues: 3, pages: [dataPage(20_000_000, plainInt32([1, 2, 3]))] }), 'VIGIE_TOO_LARGE');
    // A page whose compressed size runs past its chunk.
    const long = Buffer.concat([
      thrift([
        [1, { i32: 0 }],
        [2, { i32: 4000 }],
        [3, { i32: 4000 }],
        [
          5,
          {
            struct: [
              [1, { i32: 3 }],
              [2, { i32: 0 }],
            ],
          },
        ],
      ]),
      plainInt32([1, 2, 3]),
    ]);
    err = await refusal(simple(nomChunk(), 3, { path: ['n'], type: T.INT32, numValues: 3, pages: [long] }), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('a page runs past the end of its column chunk');
    // Values cut short.
    err = await refusal(simple(nomChunk(Buffer.concat([framed(rleRuns([1, 0, 1])), plainStrings(['Ana', 'Éric']).subarray(0, 9)]))), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('values longer than their page');
  });

  it('refuses a footer whose chunks lie outside the file, or that does not match its schema', async () => {
    let err = await refusal(parquetFile(SCHEMA, [{ rows: 3, chunks: [{ ...idChunk([1, 2, 3]), path: ['autre'] }, nomChunk()] }]), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('its column chunk 1 does not match the schema');
    for (const claims of [{ size: 100_000 }, { offset: 2 }, { offset: 1e6 }]) {
      err = await refusal(parquetFile(SCHEMA, [{ rows: 3, chunks: [idChunk([1, 2, 3]), { ...nomChunk(), claims }] }]), 'VIGIE_BAD_FORMAT');
      expect(err.message, JSON.stringify(claims)).toContain("row group 1 of 1: column nom lies outside the file's data");
    }
  });

  it('refuses an absurd schema before building it: a million columns, 1,000 levels deep, a group of missing fields', async () => {
    // FileMetaData: version 1, a schema list of 1,000,001 elements (the root, then one leaf a million times), 0 rows, no row group.
    const leafBytes = thrift(leaf('c', T.INT32, R.OPTIONAL));
    const wide = Buffer.concat([
      Buffer.from([0x15, 0x02, 0x19, 0xfc, 0xc1, 0x84, 0x3d]),
      thrift(group('schema', 1_000_000)),
      Buffer.alloc(leafBytes.length * 1_000_000).fill(leafBytes),
      Buffer.from([0x16, 0x00, 0x19, 0x0c, 0x00]),
    ]);
    let err = await refusal(frame(wide), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain(`a schema of 1000001 elements, more than a table of ${MAX_COLUMNS} columns needs`);
    const deep: Fields[] = [group('schema', 1), ...Array.from({ length: 1000 }, (_, i) => group(`g${i}`, 1, R.OPTIONAL)), leaf('x', T.INT32, R.OPTIONAL)];
    err = await refusal(parquetFile(deep, []), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('a schema nested deeper than 64 levels');
    err = await refusal(parquetFile([group('schema', 3), leaf('a', T.INT32, R.OPTIONAL)], []), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('its schema ends inside a group');
    err = await refusal(parquetFile([group('schema', 2), leaf('a', T.INT32, R.OPTIONAL), leaf('a', T.INT32, R.OPTIONAL)], []), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('the same name');
    err = await refusal(parquetFile([group('schema', 0)], []), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('a schema without columns');
  });

  it('refuses a footer whose Thrift is hostile: a 100,000-byte integer, structures nested 10,000 deep', async () => {
    // Field 3 (num_rows, i64) whose varint never ends within 100,000 bytes.
    let err = await refusal(frame(Buffer.concat([Buffer.from([0x36]), Buffer.alloc(100_000, 0xff), Buffer.from([0x01, 0x00])])), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('an integer longer than 10 bytes');
    err = await refusal(frame(Buffer.concat([Buffer.alloc(10_000, 0x1c), Buffer.alloc(10_001, 0)])), 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('structures nested too deep');
  });

  it('refuses an encrypted file whose footer is left readable (encryption_algorithm), with what to do', async () => {
    const bytes = parquetFile(SCHEMA, [{ rows: 3, chunks: [idChunk([1, 2, 3]), nomChunk()] }], [[8, { struct: [[1, { struct: [] }]] }]]);
    const err = await refusal(bytes, 'VIGIE_BAD_FORMAT');
    expect(err.message).toContain('an encrypted Parquet file');
  });
});
