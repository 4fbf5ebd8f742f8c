/**
 * One column chunk read page by page. Each page header is walked (`thrift.ts`) and checked
 * against the chunk and the caps; the page is decompressed here, within its announced size;
 * its levels and encoded runs are checked (`decode.ts`); then a flat column's page in PLAIN
 * or dictionary encoding is decoded by `decode.ts`, cells made as rows take them, and any
 * other page by hyparquet (`readPage`), its values made cells at once. A dictionary's entries
 * become cells once. Only the current page of each column is held (and a read-ahead window of
 * the file), so memory follows pages, not row groups or files.
 *
 * hyparquet is given each leaf's schema element without its annotations, so that it leaves
 * values physical (DECIMAL as its unscaled integer, TIMESTAMP as its count, BYTE_ARRAY as
 * bytes) and `cells.ts` writes them exactly.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { type CompressionCodec, type DecodedArray, type PageHeader, snappyUncompress } from 'hyparquet';
import { compressors, decompressLz4, decompressLz4Raw } from 'hyparquet-compressors';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import { VigieError } from '../../errors.js';
import type { Cell } from '../types.js';
import { DISPLAY_PARSERS } from './cells.js';
import { arrayPage, type FlatPage, flatPage, type PageBytes, pageLevels } from './decode.js';
import { type Chunk, type Leaf, thriftFault } from './layout.js';
import { PageFault } from './levels.js';
import type { ByteSource } from './source.js';
import { skimStruct } from './thrift.js';

/** Largest page read, compressed or not. Writers make pages of about 1 MiB (DuckDB: one per row group column, a few MiB). */
const MAX_PAGE_BYTES = 256 * 1024 * 1024;
/** Most values (nulls included) one page may hold: a page of runs of nulls can announce billions in a few bytes. */
const MAX_PAGE_VALUES = 16 * 1024 * 1024;
/** Most values held at once across the columns' current pages and dictionaries. */
const MAX_HELD_VALUES = 64 * 1024 * 1024;
/** First read of a page header; grown (to `MAX_HEADER_BYTES`) for one with long statistics. */
const HEADER_PROBE = 16 * 1024;
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** Thrift nesting of a PageHeader: header, data page header, statistics. */
const PAGE_THRIFT_DEPTH = 8;

/**
 * fzstd's output buffer. fzstd tests its second argument with `w == 1`, which turns a plain
 * Uint8Array into a string of all its bytes (seconds for a page of a few MiB): this one
 * converts to 0 instead.
 */
class ZstdOutput extends Uint8Array {
  [Symbol.toPrimitive](): number {
    return 0;
  }
}

/**
 * hysnappy's WebAssembly Snappy (through hyparquet-compressors), 3 to 4 times hyparquet's
 * JavaScript one. Its memory grows to the largest page it is given and stays so: pages
 * larger than this go to the JavaScript decoder.
 */
const wasmSnappy = compressors.SNAPPY;
const WASM_SNAPPY_BYTES = 16 * 1024 * 1024;

/**
 * A page's bytes decompressed, `size` of them: no decompressor writes past that (zlib's
 * `maxOutputLength`, an output buffer of that size for the others), and a result of another
 * size is refused.
 */
function decompress(codec: CompressionCodec, input: Uint8Array, size: number): Uint8Array {
  if (size === 0) return new Uint8Array(0);
  let out: Uint8Array;
  switch (codec) {
    case 'UNCOMPRESSED':
      out = input;
      break;
    case 'SNAPPY':
      if (wasmSnappy !== undefined && input.length + size <= WASM_SNAPPY_BYTES) out = wasmSnappy(input, size);
      else {
        out = new Uint8Array(size);
        snappyUncompress(input, out);
      }
      break;
    case 'GZIP':
      out = gunzipSync(input, { maxOutputLength: size });
      break;
    case 'BROTLI':
      out = brotliDecompressSync(input, { maxOutputLength: size });
      break;
    case 'ZSTD':
      out = zstdDecompress(input, new ZstdOutput(size));
      break;
    case 'LZ4':
      out = decompressLz4(input, size);
      break;
    case 'LZ4_RAW':
      out = decompressLz4Raw(input, size);
      break;
    default:
      throw new PageFault(`the codec ${String(codec)}`);
  }
  if (out.length !== size) throw new PageFault(`a page of ${out.length} bytes once decompressed, ${size} announced`);
  return out;
}

/** Values held by all the cursors of a read, against `MAX_HELD_VALUES`. */
export interface HeldValues {
  held: number;
}

/** What a cursor needs beyond its column: where to read, and what to say when it fails. */
export interface CursorContext {
  src: ByteSource;
  file: string;
  /** `row group 3 of 9`, for messages. */
  where: string;
  /** Record number (1-based, in the table) of the row group's first row. */
  firstRecord: number;
  held: HeldValues;
  /** Bytes read ahead at once from a file (not from memory). */
  window: number;
}

const EMPTY = new Uint8Array(0);
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

type Decoder = Parameters<typeof readPage>[2];

export class ColumnCursor {
  /** A flat column's current page. */
  private flat: FlatPage | undefined;
  /** A nested column's current page: its rows, arrays of cells as hyparquet assembled them. */
  private rows: unknown[] = [];
  private pos = 0;
  /** A repeated column's last row, which the next page may continue. */
  private hold: unknown[] | undefined;
  private dictionary: Cell[] | undefined;
  private next: number;
  private values = 0;
  private produced = 0;
  private charged = 0;
  private dictCharged = 0;
  private buf: Uint8Array = EMPTY;
  private bufStart = 0;
  /** Pages reach hyparquet decompressed and checked: it decodes them as UNCOMPRESSED. */
  private readonly decoder: Decoder;

  constructor(
    private readonly leaf: Leaf,
    private readonly chunk: Chunk,
    private readonly groupRows: number,
    private readonly ctx: CursorContext,
  ) {
    this.next = chunk.start;
    this.decoder = {
      pathInSchema: leaf.schemaPath.slice(1).map((t) => t.element.name),
      type: leaf.physical.type ?? 'BYTE_ARRAY',
      element: leaf.physical,
      schemaPath: leaf.schemaPath,
      codec: 'UNCOMPRESSED',
      parsers: DISPLAY_PARSERS,
      utf8: false,
    };
  }

  /** Rows decoded and not yet passed. */
  get available(): number {
    return (this.flat === undefined ? this.rows.length : this.flat.length) - this.pos;
  }

  /** A flat column's cell of the `r`-th row available. */
  cellAt(r: number): Cell {
    return (this.flat as FlatPage).cell(this.pos + r);
  }

  /** A nested column's next `n` rows (at most `available`), not yet passed. */
  slice(n: number): unknown[] {
    return this.pos === 0 && n === this.rows.length ? this.rows : this.rows.slice(this.pos, this.pos + n);
  }

  /** Passes `n` rows. */
  advance(n: number): void {
    this.pos += n;
  }

  /** Decodes pages until a row is available. */
  async fill(): Promise<void> {
    this.release();
    while (this.available === 0) {
      if (this.finished()) {
        if (this.hold !== undefined) {
          this.setRows(this.cells(this.hold), 0);
          this.hold = undefined;
          break;
        }
        throw this.bad(`it holds ${this.produced} rows of the ${this.groupRows} announced`, this.next);
      }
      await this.page();
    }
    if (this.produced > this.groupRows) throw this.bad(`it holds more rows than the ${this.groupRows} announced`, this.next);
  }

  /** After the row group's last row: nothing may be left. */
  checkEnd(): void {
    if (this.available > 0 || this.hold !== undefined) throw this.bad(`it holds more rows than the ${this.groupRows} announced`, this.next);
  }

  /** Gives back what it holds of `MAX_HELD_VALUES`. */
  close(): void {
    this.release();
    this.ctx.held.held -= this.dictCharged;
    this.dictCharged = 0;
    this.flat = undefined;
    this.rows = [];
    this.dictionary = undefined;
    this.buf = EMPTY;
  }

  private finished(): boolean {
    return this.next >= this.chunk.end || this.values >= this.chunk.values;
  }

  private release(): void {
    this.ctx.held.held -= this.charged;
    this.charged = 0;
  }

  private charge(n: number, at: number): void {
    if (this.ctx.held.held + n > MAX_HELD_VALUES) {
      throw new VigieError(
        'VIGIE_TOO_LARGE',
        `Parquet pages of more than ${MAX_HELD_VALUES} values at once (${this.ctx.where}): not read, write the file again with smaller row groups`,
        { position: { file: this.ctx.file, record: this.record(), byte: at } },
      );
    }
    this.ctx.held.held += n;
  }

  private setRows(rows: unknown[], charge: number): void {
    this.flat = undefined;
    this.rows = rows;
    this.pos = 0;
    this.produced += rows.length;
    this.charged += charge;
  }

  private setFlat(page: FlatPage, charge: number): void {
    this.flat = page;
    this.pos = 0;
    this.produced += page.length;
    this.charged += charge;
  }

  private record(): number {
    return this.ctx.firstRecord + Math.min(this.produced, this.groupRows);
  }

  private bad(what: string, at: number, cause?: unknown): VigieError {
    const why = cause instanceof PageFault ? `: ${cause.message}` : cause instanceof Error ? ` (${cause.name})` : '';
    return new VigieError('VIGIE_BAD_FORMAT', `damaged Parquet data, ${this.ctx.where}, column ${this.leaf.name}: ${what}${why}`, {
      position: { file: this.ctx.file, record: this.record(), byte: at },
      cause,
    });
  }

  private tooLarge(what: string, at: number): VigieError {
    return new VigieError('VIGIE_TOO_LARGE', `Parquet ${what} (${this.ctx.where}, column ${this.leaf.name}): not read`, {
      position: { file: this.ctx.file, record: this.record(), byte: at },
    });
  }

  private async page(): Promise<void> {
    const at = this.next;
    const { header, length } = await this.header(at);
    const size = header.compressed_page_size;
    const full = header.uncompressed_page_size;
    const dataStart = at + length;
    if (!isCount(size) || !isCount(full)) throw this.bad('a page header with an invalid size', at);
    if (size > MAX_PAGE_BYTES || full > MAX_PAGE_BYTES) throw this.tooLarge(`page of more than ${MAX_PAGE_BYTES} bytes`, at);
    if (size > this.chunk.end - dataStart) throw this.bad('a page runs past the end of its column chunk', at);
    this.next = dataStart + size;
    if (header.type === 'INDEX_PAGE') return;
    const count = this.valueCount(header, at);
    const raw = await this.bytes(dataStart, size);
    if (header.type === 'DICTIONARY_PAGE') {
      this.ctx.held.held -= this.dictCharged;
      this.dictCharged = 0;
      this.charge(count, at);
      this.dictCharged = count;
      this.dictionary = this.dictionaryPage(header, raw, at);
      return;
    }
    this.charge(count, at);
    let decoded: { flat?: FlatPage; rows?: unknown[] };
    try {
      decoded = this.dataPage(header, raw, count);
    } catch (err) {
      this.ctx.held.held -= count;
      if (err instanceof VigieError) throw err;
      throw this.bad('a data page cannot be decoded', at, err);
    }
    this.values += count;
    if (decoded.flat !== undefined) this.setFlat(decoded.flat, count);
    else this.setRows(decoded.rows ?? [], count);
  }

  private dictionaryPage(header: PageHeader, raw: Uint8Array, at: number): Cell[] {
    try {
      const bytes = decompress(this.chunk.codec, raw, header.uncompressed_page_size);
      const h: PageHeader = { ...header, compressed_page_size: bytes.length };
      const data = readPage({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }, h, this.decoder, undefined, undefined, 0).data;
      const entries = data === undefined ? [] : convert(data, this.decoder);
      const f = this.leaf.format;
      return Array.from(entries as ArrayLike<unknown>, (v) => f(v));
    } catch (err) {
      throw this.bad('a dictionary page cannot be decoded', at, err);
    }
  }

  /** A data page decompressed, checked, then decoded: here for a flat column in PLAIN or dictionary encoding, by hyparquet otherwise. */
  private dataPage(header: PageHeader, raw: Uint8Array, n: number): { flat?: FlatPage; rows?: unknown[] } {
    const codec = this.chunk.codec;
    let page: PageBytes;
    let h: PageHeader;
    const v2 = header.data_page_header_v2;
    if (v2 === undefined) {
      const bytes = decompress(codec, raw, header.uncompressed_page_size);
      page = { bytes, n, encoding: header.data_page_header?.encoding ?? 'PLAIN' };
      h = { ...header, compressed_page_size: bytes.length };
    } else {
      // Version 2 leaves its levels uncompressed, before the values.
      const repLen = v2.repetition_levels_byte_length;
      const defLen = v2.definition_levels_byte_length;
      const levels = raw.subarray(0, repLen + defLen);
      const packed = raw.subarray(repLen + defLen);
      const valueBytes = header.uncompressed_page_size - repLen - defLen;
      const values = v2.is_compressed === false ? packed : decompress(codec, packed, valueBytes);
      const bytes = levels.length === 0 ? values : Buffer.concat([levels, values]);
      page = { bytes, n, encoding: v2.encoding, v2: { repLen, defLen, nulls: v2.num_nulls } };
      h = { ...header, compressed_page_size: bytes.length, uncompressed_page_size: bytes.length, data_page_header_v2: { ...v2, is_compressed: false } };
    }
    const levels = pageLevels(page, this.leaf, MAX_PAGE_BYTES);
    if (this.leaf.flat) {
      const fast = flatPage(page, levels, this.leaf, this.dictionary);
      if (fast !== undefined) return { flat: fast };
    }
    const reader = { view: new DataView(page.bytes.buffer, page.bytes.byteOffset, page.bytes.byteLength), offset: 0 };
    const data = readPage(reader, h, this.decoder, this.dictionary as DecodedArray | undefined, this.hold, 0).data ?? [];
    if (this.leaf.flat) {
      if (data.length !== n) throw new PageFault(`${data.length} values decoded, ${n} announced`);
      return { flat: arrayPage(data, this.leaf.format) };
    }
    let rows = data as unknown[];
    this.hold = undefined;
    if (this.leaf.repeated && !this.finishedAfter(n) && Array.isArray(rows) && rows.length > 0) {
      // The next page may go on with this row (a row may span pages before DATA_PAGE_V2).
      this.hold = [rows.pop()];
    } else if (!Array.isArray(rows)) rows = Array.from(rows);
    return { rows: this.cells(rows) };
  }

  /** Whether the chunk ends once this page's `n` values are counted. */
  private finishedAfter(n: number): boolean {
    return this.next >= this.chunk.end || this.values + n >= this.chunk.values;
  }

  /** Values the page announces, checked against the caps and, for a column that does not repeat, the rows left. */
  private valueCount(h: PageHeader, at: number): number {
    let n: unknown;
    if (h.type === 'DICTIONARY_PAGE') n = h.dictionary_page_header?.num_values;
    else if (h.type === 'DATA_PAGE') n = h.data_page_header?.num_values;
    else if (h.type === 'DATA_PAGE_V2') {
      const v2 = h.data_page_header_v2;
      n = v2?.num_values;
      if (
        v2 === undefined ||
        !isCount(n) ||
        !isCount(v2.num_nulls) ||
        !isCount(v2.num_rows) ||
        !isCount(v2.definition_levels_byte_length) ||
        !isCount(v2.repetition_levels_byte_length) ||
        v2.definition_levels_byte_length + v2.repetition_levels_byte_length > Math.min(h.compressed_page_size, h.uncompressed_page_size) ||
        v2.num_nulls > n
      ) {
        throw this.bad('a data page (v2) header with invalid counts', at);
      }
    } else throw this.bad('a page of an unknown type', at);
    if (!isCount(n)) throw this.bad('a page header without its value count', at);
    if (n > MAX_PAGE_VALUES) throw this.tooLarge(`page of ${n} values, more than ${MAX_PAGE_VALUES}`, at);
    if (h.type !== 'DICTIONARY_PAGE' && !this.leaf.repeated && n > this.groupRows - this.produced) {
      throw this.bad(`a page of ${n} values where ${this.groupRows - this.produced} rows are left`, at);
    }
    return n;
  }

  /** A nested column's rows as cells, whatever hyparquet made of its values (nested arrays of them). */
  private cells(data: ArrayLike<unknown>): unknown[] {
    const f = this.leaf.format;
    const deep = (v: unknown): unknown => (Array.isArray(v) ? v.map(deep) : f(v));
    const out = new Array<unknown>(data.length);
    for (let i = 0; i < data.length; i++) out[i] = deep(data[i]);
    return out;
  }

  private async header(at: number): Promise<{ header: PageHeader; length: number }> {
    const left = this.chunk.end - at;
    let probe = this.ctx.src.inMemory ? left : Math.min(left, HEADER_PROBE);
    for (;;) {
      const b = await this.bytes(at, probe);
      const s = skimStruct(b, 0, b.length, PAGE_THRIFT_DEPTH);
      if (!('fault' in s)) {
        try {
          return { header: parquetHeader({ view: new DataView(b.buffer, b.byteOffset, b.byteLength), offset: 0 }), length: s.end };
        } catch (err) {
          throw this.bad('a page header cannot be decoded', at, err);
        }
      }
      if (s.fault === 'end' && probe < left && probe < MAX_HEADER_BYTES) {
        probe = Math.min(left, probe * 16, MAX_HEADER_BYTES);
        continue;
      }
      throw this.bad(`a damaged page header (${thriftFault(s.fault)})`, at + s.at);
    }
  }

  /** `len` bytes from `pos`, within the chunk: from memory as a view, from a file through a read-ahead window. */
  private async bytes(pos: number, len: number): Promise<Uint8Array> {
    if (this.ctx.src.inMemory) return this.ctx.src.read(pos, len);
    const from = pos - this.bufStart;
    if (from >= 0 && from + len <= this.buf.length) return this.buf.subarray(from, from + len);
    this.buf = EMPTY;
    this.buf = await this.ctx.src.read(pos, Math.min(this.chunk.end - pos, Math.max(len, this.ctx.window)));
    this.bufStart = pos;
    return this.buf.subarray(0, len);
  }
}
