/**
 * Test support: the layout of a real `pg_dump -Fc` archive (where each field and block sits), so
 * that tests can cut, flip and patch it at exact places, and rewrite it as another archive
 * version (1.12 to 1.16) from the same content. Written apart from the reader, from
 * pg_backup_archiver.c's WriteHead/WriteToc and pg_backup_custom.c's block writers, so that it
 * checks the reader rather than repeats it.
 */

interface Field {
  name: string;
  kind: 'int' | 'str' | 'byte' | 'offset';
  at: number;
  /** int and byte fields: the value; str: the bytes or null; offset: the flag byte then the bytes. */
  value: number | Buffer | null;
}

interface Entry {
  at: number;
  fields: Field[];
  /** Dependencies, as strings. */
  deps: Buffer[];
}

interface Block {
  at: number;
  type: number;
  id: number;
  chunks: { at: number; len: number }[];
  end: number;
}

interface Layout {
  minor: number;
  intSize: number;
  offSize: number;
  /** The compression field (an int before 1.15, a byte from 1.15). */
  compressionAt: number;
  compression: number;
  /** From the creation date to the end of the header, as written. */
  headerRest: Buffer;
  countAt: number;
  entries: Entry[];
  blocksAt: number;
  blocks: Block[];
}

class Cursor {
  constructor(
    readonly b: Buffer,
    public at: number,
    readonly intSize: number,
  ) {}
  byte(): number {
    const v = this.b[this.at];
    if (v === undefined) throw new Error(`layout: end of archive at ${this.at}`);
    this.at++;
    return v;
  }
  int(): number {
    const sign = this.byte();
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return sign === 0 ? v : -v;
  }
  str(): Buffer | null {
    const n = this.int();
    if (n < 0) return null;
    const s = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return s;
  }
}

/** Where everything is in an archive written by pg_dump 15 (version 1.14). */
export function layout(b: Buffer): Layout {
  if (b.toString('latin1', 0, 5) !== 'PGDMP') throw new Error('layout: not a custom archive');
  const minor = b[6] ?? 0;
  const intSize = b[8] ?? 4;
  const offSize = b[9] ?? 8;
  const c = new Cursor(b, 11, intSize);
  const compressionAt = c.at;
  const compression = minor >= 15 ? c.byte() : c.int();
  const restAt = c.at;
  for (let i = 0; i < 7; i++) c.int();
  c.str();
  c.str();
  c.str();
  const headerRest = b.subarray(restAt, c.at);
  const countAt = c.at;
  const count = c.int();
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const at = c.at;
    const fields: Field[] = [];
    const f = (name: string, kind: Field['kind']): void => {
      const fat = c.at;
      let value: Field['value'];
      if (kind === 'int') value = c.int();
      else if (kind === 'byte') value = c.byte();
      else if (kind === 'str') value = c.str();
      else {
        value = b.subarray(fat, fat + 1 + offSize);
        c.at += 1 + offSize;
      }
      fields.push({ name, kind, at: fat, value });
    };
    f('dumpId', 'int');
    f('hadDumper', 'int');
    f('tableoid', 'str');
    f('oid', 'str');
    f('tag', 'str');
    f('desc', 'str');
    f('section', 'int');
    f('defn', 'str');
    f('dropStmt', 'str');
    f('copyStmt', 'str');
    f('namespace', 'str');
    f('tablespace', 'str');
    if (minor >= 14) f('tableam', 'str');
    if (minor >= 16) f('relkind', 'int');
    f('owner', 'str');
    f('withOids', 'str');
    const deps: Buffer[] = [];
    for (let d = c.str(); d !== null; d = c.str()) deps.push(d);
    f('offset', 'offset');
    entries.push({ at, fields, deps });
  }
  const blocksAt = c.at;
  const blocks: Block[] = [];
  while (c.at < b.length) {
    const at = c.at;
    const type = c.byte();
    const id = c.int();
    const chunks: Block['chunks'] = [];
    const readChunks = (): void => {
      for (;;) {
        const cat = c.at;
        const len = c.int();
        if (len === 0) return;
        chunks.push({ at: cat, len });
        c.at += len;
      }
    };
    if (type === 3) while (c.int() !== 0) readChunks();
    else readChunks();
    blocks.push({ at, type, id, chunks, end: c.at });
  }
  return { minor, intSize, offSize, compressionAt, compression, headerRest, countAt, entries, blocksAt, blocks };
}

/** A field of an entry, by name. */
export function field(e: Entry, name: string): Field {
  const f = e.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`layout: no field ${name}`);
  return f;
}

/** The entry of the TABLE DATA of `tag`. */
export function tableData(l: Layout, tag: string): Entry {
  const e = l.entries.find((x) => String(field(x, 'desc').value) === 'TABLE DATA' && String(field(x, 'tag').value) === tag);
  if (e === undefined) throw new Error(`layout: no TABLE DATA ${tag}`);
  return e;
}

/** The data block of an entry. */
export function blockOf(l: Layout, e: Entry): Block {
  const id = field(e, 'dumpId').value;
  const blk = l.blocks.find((x) => x.id === id);
  if (blk === undefined) throw new Error(`layout: no block for ${String(id)}`);
  return blk;
}

/** `WriteInt` with `intSize` bytes. */
export function int(v: number, intSize = 4): Buffer {
  const out = Buffer.alloc(1 + intSize);
  out[0] = v < 0 ? 1 : 0;
  let m = Math.abs(v);
  for (let i = 1; i <= intSize; i++) {
    out[i] = m % 256;
    m = Math.floor(m / 256);
  }
  return out;
}

function str(s: Buffer | null, intSize: number): Buffer {
  return s === null ? int(-1, intSize) : Buffer.concat([int(s.length, intSize), s]);
}

/** RELKIND_RELATION, RELKIND_SEQUENCE of pg_class.h, for the relkind field of 1.16. */
const RELKINDS: Record<string, number> = { TABLE: 0x72, SEQUENCE: 0x53, 'TABLE DATA': 0, 'SEQUENCE SET': 0 };

/**
 * The same archive written as version 1.`minor` (12 to 16), as that pg_dump would have: before
 * 1.14 no table access method, from 1.15 a compression algorithm byte, from 1.16 a relkind.
 */
export function rewrite(l: Layout, b: Buffer, minor: number): Buffer {
  const n = l.intSize;
  const parts: Buffer[] = [Buffer.from('PGDMP', 'latin1'), Buffer.from([1, minor, 0, n, l.offSize, 1])];
  parts.push(minor >= 15 ? Buffer.from([l.compression === 0 ? 0 : 1]) : int(l.compression === 0 ? 0 : -1, n));
  parts.push(l.headerRest, int(l.entries.length, n));
  for (const e of l.entries) {
    for (const f of e.fields) {
      if (f.name === 'tableam' && minor < 14) continue;
      if (f.name === 'relkind') continue;
      if (f.name === 'owner') {
        if (minor >= 14 && !e.fields.some((x) => x.name === 'tableam')) parts.push(str(Buffer.from('heap'), n));
        if (minor >= 16) parts.push(int(RELKINDS[String(field(e, 'desc').value)] ?? 0, n));
      }
      if (f.kind === 'int') parts.push(int(f.value as number, n));
      else if (f.kind === 'byte') parts.push(Buffer.from([f.value as number]));
      else if (f.kind === 'str') parts.push(str(f.value as Buffer | null, n));
      else {
        parts.push(f.value as Buffer);
        continue;
      }
      if (f.name === 'withOids') {
        for (const d of e.deps) parts.push(str(d, n));
        parts.push(int(-1, n));
      }
    }
  }
  parts.push(b.subarray(l.blocksAt));
  return Buffer.concat(parts);
}
