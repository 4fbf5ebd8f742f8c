/**
 * The table of contents of a `pg_dump -Ft` archive (`toc.dat`), read for one thing: which
 * `NNNN.dat` member holds which table's COPY data, and with which columns. The layout is
 * PostgreSQL's own (src/bin/pg_dump/pg_backup_archiver.c, `WriteHead` / `WriteToc`; the tar
 * format's extra field from pg_backup_tar.c, `_WriteExtraToc`), versions 1.10 (PostgreSQL 8.4)
 * to 1.16 (PostgreSQL 17). A tar's `restore.sql` says the same, but comes after the data.
 */

/** Archive format byte of the header: `archTar` in pg_backup.h. */
const ARCH_TAR = 3;
const MIN_VERSION = (1 << 16) | (10 << 8); // K_VERS_1_10
const MAX_VERSION = (1 << 16) | (16 << 8); // K_VERS_1_16
const vers = (minor: number): number => (1 << 16) | (minor << 8);
/** Most entries read: a schema of a million objects is not a real one. */
const MAX_ENTRIES = 1_000_000;

/** Thrown inside the reader when the bytes do not follow the layout; `parsePgToc` returns null. */
class Malformed extends Error {}

/** Reads PostgreSQL's archive integers (a sign byte, then `intSize` bytes, little-endian) and strings. */
class Cursor {
  pos = 0;
  intSize = 4;
  constructor(private readonly buf: Buffer) {}

  byte(): number {
    const b = this.buf[this.pos];
    if (b === undefined) throw new Malformed();
    this.pos++;
    return b;
  }

  int(): number {
    const negative = this.byte() !== 0;
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return negative ? -v : v;
  }

  /** A string, or null (written with length -1). */
  str(): string | null {
    const len = this.int();
    if (len < 0) return null;
    if (this.pos + len > this.buf.length) throw new Malformed();
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

/**
 * Maps each data member of a `pg_dump -Ft` archive (`3349.dat`) to the COPY statement that
 * loads it (`COPY public.clients (id, nom, email) FROM stdin;`). Null when `toc` is not a
 * tar-format TOC of a known version, or is damaged: the members are then read as plain files.
 *
 * @example
 * parsePgToc(tocBytes)?.get('3349.dat') // 'COPY public.clients (id, nom, email) FROM stdin;\n'
 */
export function parsePgToc(toc: Buffer): Map<string, string> | null {
  try {
    return readToc(toc);
  } catch (err) {
    if (err instanceof Malformed) return null;
    throw err;
  }
}

function readToc(toc: Buffer): Map<string, string> | null {
  if (toc.toString('latin1', 0, 5) !== 'PGDMP') return null;
  const c = new Cursor(toc);
  c.pos = 5;
  const version = (c.byte() << 16) | (c.byte() << 8) | c.byte();
  c.intSize = c.byte();
  c.byte(); // offSize
  const format = c.byte();
  if (version < MIN_VERSION || version > MAX_VERSION || format !== ARCH_TAR || c.intSize < 1 || c.intSize > 8) return null;
  if (version >= vers(15))
    c.byte(); // compression algorithm
  else c.int(); // compression level
  for (let i = 0; i < 7; i++) c.int(); // creation date
  c.str(); // database name
  c.str(); // server version
  c.str(); // pg_dump version
  const count = c.int();
  if (count < 0 || count > MAX_ENTRIES) return null;
  const copies = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    c.int(); // dump id
    c.int(); // has a data dumper
    c.str(); // table oid
    c.str(); // oid
    c.str(); // tag
    const desc = c.str();
    if (version >= vers(11)) c.int(); // section
    c.str(); // definition
    c.str(); // drop statement
    const copy = c.str();
    c.str(); // namespace
    c.str(); // tablespace
    if (version >= vers(14)) c.str(); // table access method
    if (version >= vers(16)) c.int(); // relkind
    c.str(); // owner
    c.str(); // "false": the old WITH OIDS flag
    while (c.str() !== null); // dependencies, ended by a null
    const file = c.str(); // tar format: the member holding the data, or ''
    if (desc === 'TABLE DATA' && copy !== null && file !== null && /^\d+\.dat$/.test(file) && /^COPY [^\n]* FROM stdin;\n?$/.test(copy)) {
      copies.set(file, copy.endsWith('\n') ? copy : `${copy}\n`);
    }
  }
  return copies;
}
