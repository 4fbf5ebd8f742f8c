/**
 * A Parquet file's footer (its FileMetaData, Thrift compact protocol, before the final
 * `<length> PAR1`), read and checked before any data: the framing, then the Thrift walk
 * (`thrift.ts`), then hyparquet's decoding, then the schema tree and every column chunk's
 * place in the file. What is refused here costs nothing more than the footer.
 */
import { type ColumnChunk, type CompressionCodec, type FileMetaData, parquetMetadata, parquetSchema, type SchemaElement, type SchemaTree } from 'hyparquet';
// The levels as hyparquet counts them, since it decodes them.
import { getMaxDefinitionLevel, getMaxRepetitionLevel } from 'hyparquet/src/schema.js';
import { VigieError } from '../../errors.js';
import { MAX_COLUMNS } from '../limits.js';
import { printable } from '../xlsx/index.js';
import { type CellFormat, leafFormat } from './cells.js';
import { parquetMagic } from './detect.js';
import { columnShape, type PathNode } from './shape.js';
import type { ByteSource } from './source.js';
import { skimStruct, type ThriftFault } from './thrift.js';

/** Largest footer read. Real ones are kilobytes (DuckDB's for a million rows: 18 KB); a hostile one is not held. */
const MAX_FOOTER_BYTES = 32 * 1024 * 1024;
/** Most schema elements (columns and the groups around them) accepted. */
const MAX_SCHEMA_ELEMENTS = 4 * MAX_COLUMNS + 1;
/** Most column chunks (row groups times columns) a footer may describe. */
const MAX_CHUNKS = 4 * 1024 * 1024;
/** Longest FIXED_LEN_BYTE_ARRAY accepted (a UUID takes 16 bytes, a DECIMAL(38) 16). */
const MAX_FIXED_LENGTH = 1024 * 1024;
/** Thrift nesting in FileMetaData is 6 deep at most (file, row group, chunk, metadata, statistics...). */
const FOOTER_THRIFT_DEPTH = 16;

/** The codecs read; LZO (and any unknown one) is refused by name. */
const CODECS: ReadonlySet<CompressionCodec> = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW']);

/** One leaf column of the schema: a column chunk in every row group. */
export interface Leaf {
  /** Its path in the schema, as hyparquet keys it: `adresse.ville`, `tags.list.element`. */
  key: string;
  /** For messages: its path, printable. */
  name: string;
  element: SchemaElement;
  /** The element without its annotations: hyparquet then leaves values physical, for `format`. */
  physical: SchemaElement;
  /** Root first, the leaf last. */
  schemaPath: SchemaTree[];
  /** A repeated field on its path: a row may span pages. */
  repeated: boolean;
  /** Directly under the root, not repeated: one value (or null) per row, read by `decode.ts`. */
  flat: boolean;
  /** Highest definition and repetition levels. */
  maxDef: number;
  maxRep: number;
  /** Its bytes are text (UTF-8): STRING, ENUM, JSON. */
  text: boolean;
  format: CellFormat;
}

/** A top-level field: a leaf read straight into its column, or a group assembled then flattened. */
export type Top = { kind: 'flat'; leaf: number; column: number } | { kind: 'nested'; tree: SchemaTree; leaves: number[]; shape: PathNode };

export interface Chunk {
  /** First byte of its first page (the dictionary page when there is one). */
  start: number;
  end: number;
  codec: CompressionCodec;
  /** Values (levels) it announces, nulls included. */
  values: number;
}

export interface RowGroupPlan {
  rows: number;
  chunks: Chunk[];
}

export interface Layout {
  leaves: Leaf[];
  tops: Top[];
  /** The columns known from the schema, in its order; flattening may append more. */
  columns: string[];
  rowGroups: RowGroupPlan[];
  meta: Record<string, string>;
}

function encrypted(file: string): VigieError {
  return new VigieError(
    'VIGIE_BAD_FORMAT',
    'an encrypted Parquet file (Parquet modular encryption), not read: decrypt it with the tool that wrote it and its keys (Spark, PyArrow), write it again without encryption, then ingest that',
    { position: { file } },
  );
}

const FAULTS: Record<ThriftFault, string> = {
  end: 'it ends inside a field',
  varint: 'an integer longer than 10 bytes',
  depth: 'structures nested too deep',
  type: 'a field of an unknown type',
  length: 'a list longer than the bytes left',
};

/** What a Thrift fault means, for messages. */
export function thriftFault(fault: ThriftFault): string {
  return FAULTS[fault];
}

/**
 * Reads and checks the footer, schema and row groups of the Parquet file in `src`.
 *
 * @throws VigieError `VIGIE_TRUNCATED` when the file does not end with `PAR1` (cut, or never
 * closed by its writer), `VIGIE_TOO_LARGE` for a footer past `MAX_FOOTER_BYTES`,
 * `VIGIE_BAD_FORMAT` for an encrypted file, a footer length outside the file, a damaged
 * footer, an absurd schema (more than `MAX_COLUMNS` columns, deeper than `maxDepth`), a
 * codec not read, a column chunk outside the file; each with the byte where it was found.
 */
export async function readLayout(src: ByteSource, file: string, maxDepth: number): Promise<Layout> {
  const size = src.size;
  const head = await src.read(0, Math.min(4, size));
  const magic = parquetMagic(head);
  if (magic === 'encrypted') throw encrypted(file);
  if (magic === undefined) throw new VigieError('VIGIE_BAD_FORMAT', 'not a Parquet file (it does not start with PAR1)', { position: { file, byte: 0 } });
  if (size < 12) throw new VigieError('VIGIE_TRUNCATED', `Parquet file of ${size} bytes: cut before its footer`, { position: { file, byte: size } });
  const tail = await src.read(size - 8, 8);
  const tailMagic = parquetMagic(tail.subarray(4));
  if (tailMagic === 'encrypted') throw encrypted(file);
  if (tailMagic === undefined) {
    throw new VigieError('VIGIE_TRUNCATED', 'Parquet file that does not end with PAR1: it is cut, or its writer never finished it (no footer)', {
      position: { file, byte: size },
    });
  }
  const len = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (len > size - 12) {
    throw new VigieError('VIGIE_BAD_FORMAT', `damaged Parquet file: its footer length (${len} bytes) points outside the file (${size} bytes)`, {
      position: { file, byte: size - 8 },
    });
  }
  if (len > MAX_FOOTER_BYTES) {
    throw new VigieError('VIGIE_TOO_LARGE', `Parquet footer of ${len} bytes, more than ${MAX_FOOTER_BYTES}: not read`, { position: { file, byte: size - 8 } });
  }
  const footerStart = size - 8 - len;
  const footer = await src.read(footerStart, len + 8);
  const bad = (what: string, byte = footerStart): VigieError =>
    new VigieError('VIGIE_BAD_FORMAT', `damaged Parquet footer: ${what}`, { position: { file, byte } });
  const skim = skimStruct(footer, 0, len, FOOTER_THRIFT_DEPTH);
  if ('fault' in skim) throw bad(thriftFault(skim.fault), footerStart + skim.at);
  // FileMetaData field 8, encryption_algorithm: an encrypted file whose footer is left readable.
  if (skim.fields.has(8)) throw encrypted(file);
  const schemaCount = skim.lists.get(2) ?? 0;
  if (schemaCount > MAX_SCHEMA_ELEMENTS) throw bad(`a schema of ${schemaCount} elements, more than a table of ${MAX_COLUMNS} columns needs`);
  if ((skim.lists.get(4) ?? 0) * Math.max(1, schemaCount - 1) > MAX_CHUNKS)
    throw bad(`${skim.lists.get(4)} row groups of ${schemaCount - 1} columns: too many to hold`);
  let md: FileMetaData;
  try {
    md = parquetMetadata(footer, { geoparquet: false });
  } catch (err) {
    throw new VigieError('VIGIE_BAD_FORMAT', 'damaged Parquet footer: its metadata cannot be decoded', { position: { file, byte: footerStart }, cause: err });
  }
  checkSchema(md.schema, maxDepth, bad);
  const tree = parquetSchema(md);
  const leaves: Leaf[] = [];
  const columns: string[] = [];
  const tops: Top[] = [];
  for (const t of tree.children) {
    const first = leaves.length;
    // Depth-first, children in order: the order of the column chunks.
    const stack: SchemaTree[][] = [[tree, t]];
    for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
      const last = p[p.length - 1] as SchemaTree;
      if (last.children.length === 0) leaves.push(leafOf(p));
      else for (let i = last.children.length - 1; i >= 0; i--) stack.push([...p, last.children[i] as SchemaTree]);
    }
    if (t.children.length === 0 && t.element.repetition_type !== 'REPEATED') {
      tops.push({ kind: 'flat', leaf: first, column: columns.length });
      columns.push(t.element.name);
    } else {
      const own = Array.from({ length: leaves.length - first }, (_, i) => first + i);
      tops.push({ kind: 'nested', tree: t, leaves: own, shape: columnShape(t, columns) });
    }
  }
  const rowGroups = checkRowGroups(md, leaves, footerStart, file, bad);
  const codecs = new Set(rowGroups.flatMap((g) => g.chunks.map((c) => c.codec.toLowerCase())));
  const meta: Record<string, string> = { rowGroups: String(rowGroups.length) };
  if (codecs.size > 0) meta['compression'] = [...codecs].join(', ');
  if (typeof md.created_by === 'string' && md.created_by !== '') meta['writer'] = printable(md.created_by).slice(0, 120);
  return { leaves, tops, columns, rowGroups, meta };
}

/**
 * Checks the flat schema list is one tree (each group's `num_children` elements follow it),
 * no deeper than `maxDepth`, with at most `MAX_COLUMNS` leaves, each typed, sibling names
 * distinct; walked without recursion, before hyparquet builds the tree recursively.
 */
function checkSchema(schema: readonly SchemaElement[], maxDepth: number, bad: (what: string) => VigieError): void {
  const root = schema[0];
  if (root === undefined || !isCount(root.num_children) || root.num_children === 0) throw bad('a schema without columns');
  const stack: { left: number; names: Set<string> }[] = [{ left: root.num_children, names: new Set() }];
  let leaves = 0;
  let i = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (top.left === 0) {
      stack.pop();
      continue;
    }
    top.left--;
    const e = schema[i++];
    if (e === undefined) throw bad('its schema ends inside a group');
    if (typeof e.name !== 'string' || top.names.has(e.name)) throw bad('two columns of a group have the same name (or none)');
    top.names.add(e.name);
    if (e.num_children !== undefined && e.num_children !== 0) {
      if (!isCount(e.num_children)) throw bad('a group with an invalid number of fields');
      if (stack.length + 1 > maxDepth) throw bad(`a schema nested deeper than ${maxDepth} levels`);
      stack.push({ left: e.num_children, names: new Set() });
    } else {
      if (e.type === undefined) throw bad('a column without a type');
      if (e.type === 'FIXED_LEN_BYTE_ARRAY' && !(isCount(e.type_length) && e.type_length > 0 && e.type_length <= MAX_FIXED_LENGTH)) {
        throw bad('a fixed-length column of an invalid length');
      }
      if (++leaves > MAX_COLUMNS) throw bad(`a schema of more than ${MAX_COLUMNS} columns`);
    }
  }
  if (i !== schema.length) throw bad('schema elements outside its tree');
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/** A leaf from its schema path (hyparquet's trees, which its assembly uses). */
function leafOf(path: SchemaTree[]): Leaf {
  const leaf = path[path.length - 1] as SchemaTree;
  const element = leaf.element;
  const physical: SchemaElement = { name: element.name, type: element.type, type_length: element.type_length, repetition_type: element.repetition_type };
  const maxRep = getMaxRepetitionLevel(path);
  const lt = element.logical_type?.type;
  const ct = element.converted_type;
  return {
    key: leaf.path.join('.'),
    name: printable(leaf.path.join('.')),
    element,
    physical,
    schemaPath: path,
    repeated: maxRep > 0,
    flat: path.length === 2 && maxRep === 0,
    maxDef: getMaxDefinitionLevel(path),
    maxRep,
    text: element.type === 'BYTE_ARRAY' && (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt === 'STRING' || lt === 'ENUM' || lt === 'JSON'),
    format: leafFormat(element),
  };
}

function checkRowGroups(md: FileMetaData, leaves: Leaf[], dataEnd: number, file: string, bad: (what: string, byte?: number) => VigieError): RowGroupPlan[] {
  if (!Array.isArray(md.row_groups)) throw bad('no row group list');
  return md.row_groups.map((rg, g) => {
    const where = `row group ${g + 1} of ${md.row_groups.length}`;
    const rows = safe(rg.num_rows);
    if (rows === undefined) throw bad(`${where} has an invalid row count`);
    if (!Array.isArray(rg.columns) || rg.columns.length !== leaves.length)
      throw bad(`${where} has ${rg.columns?.length} column chunks for ${leaves.length} columns`);
    const chunks = rg.columns.map((c: ColumnChunk, j) => {
      const leaf = leaves[j] as Leaf;
      if (c.crypto_metadata !== undefined || c.encrypted_column_metadata !== undefined) throw encrypted(file);
      if (c.file_path !== undefined) {
        throw new VigieError(
          'VIGIE_BAD_FORMAT',
          'a Parquet file whose column chunks are in other files (file_path): not read, ingest a file that holds its own data',
          {
            position: { file },
          },
        );
      }
      const m = c.meta_data;
      if (m === undefined) throw bad(`${where}: column ${leaf.name} has no metadata`);
      if (!Array.isArray(m.path_in_schema) || m.path_in_schema.join('.') !== leaf.key || m.type !== leaf.element.type) {
        throw bad(`${where}: its column chunk ${j + 1} does not match the schema`);
      }
      if (!CODECS.has(m.codec)) {
        const which = m.codec === undefined ? 'an unknown codec' : m.codec;
        throw new VigieError(
          'VIGIE_BAD_FORMAT',
          `Parquet column ${leaf.name} compressed with ${which}, which Vigie does not read: write the file again with ZSTD, Snappy or gzip (DuckDB: COPY (FROM 'in.parquet') TO 'out.parquet' (FORMAT parquet, COMPRESSION zstd)), then ingest that`,
          { position: { file } },
        );
      }
      const data = safe(m.data_page_offset);
      const dict = m.dictionary_page_offset === undefined ? undefined : safe(m.dictionary_page_offset);
      const length = safe(m.total_compressed_size);
      const values = safe(m.num_values);
      if (data === undefined || length === undefined || values === undefined) throw bad(`${where}: column ${leaf.name} has invalid offsets or sizes`);
      const start = dict !== undefined && dict > 0 && dict < data ? dict : data;
      if (start < 4 || start + length > dataEnd) {
        throw bad(`${where}: column ${leaf.name} lies outside the file's data (bytes ${start} to ${start + length}, data ends at ${dataEnd})`, start);
      }
      return { start, end: start + length, codec: m.codec, values };
    });
    return { rows, chunks };
  });
}

/** A non-negative safe integer from a Thrift i64 (a BigInt) or i32. */
function safe(v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
