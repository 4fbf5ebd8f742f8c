/**
 * Damaged and hostile SQLite files, made from a real database written by `sqlite3`: a
 * flipped page, a truncated copy, bytes flipped at random, garbage under a database's name,
 * a journal beside the file. Each is read to an end or to a VigieError naming the file (and
 * the table and record reached), the rows before it delivered; nothing is written beside it.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieError } from '../../errors.js';
import { Rng } from '../../gen/index.js';
import { readSource } from '../index.js';
import { hasSqlite3, makeShop, sqlite3 } from './test-helpers/shop.js';

const present = hasSqlite3();
const dir = mkdtempSync(join(tmpdir(), 'vigie-sqlite-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a file to its end or its error: the rows delivered per table, and the error. */
async function readUntil(path: string): Promise<{ rows: Map<string, number>; error: unknown }> {
  const rows = new Map<string, number>();
  let table = '';
  try {
    for await (const ev of readSource(path, { displayName: 'leak.db', batchSize: 16 })) {
      if (ev.kind === 'table') table = ev.name.slice('leak.db:'.length);
      else if (ev.kind === 'rows') rows.set(table, (rows.get(table) ?? 0) + ev.rows.length);
    }
    return { rows, error: undefined };
  } catch (error) {
    return { rows, error };
  }
}

/** Writes `bytes` as a lone file in a fresh directory; returns its path. */
function alone(name: string, bytes: Buffer): string {
  const path = join(mkdtempSync(join(dir, 'case-')), name);
  writeFileSync(path, bytes);
  return path;
}

describe.skipIf(!present && !process.env['CI'])('a damaged SQLite database', () => {
  let shop: string;
  let good: Buffer;
  let leaves: number[];
  let pageSize: number;
  beforeAll(() => {
    shop = makeShop(dir, 'shop.db', { customers: 400, seed: 9 });
    good = readFileSync(shop);
    const db = new Database(shop, { readonly: true });
    pageSize = Number(db.pragma('page_size', { simple: true }));
    leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'clients' AND pagetype = 'leaf' ORDER BY path").raw(true).all() as [number][]).map(([p]) => p);
    db.close();
    expect(leaves.length).toBeGreaterThan(6);
  });

  it('a page of garbage in the middle of a table: VIGIE_BAD_FORMAT at the table and record reached, rows before delivered', async () => {
    const bytes = Buffer.from(good);
    const page = leaves[Math.floor(leaves.length / 2)] ?? 0;
    bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize);
    const path = alone('leak.db', bytes);
    const { rows, error } = await readUntil(path);
    expect(error).toBeInstanceOf(VigieError);
    const e = error as VigieError;
    expect(e.code).toBe('VIGIE_BAD_FORMAT');
    expect(e.position).toMatchObject({ file: 'leak.db', table: 'clients' });
    expect(e.message).toMatch(/^leak\.db, table clients, record \d+: corrupt SQLite database \(SQLITE_CORRUPT\w*\); the records before it were read/);
    const delivered = rows.get('clients') ?? 0;
    expect(delivered).toBeGreaterThan(50);
    expect(e.position?.record).toBe(delivered + 1);
    expect(readdirSync(join(path, '..'))).toEqual(['leak.db']);
  });

  it('a truncated copy: VIGIE_TRUNCATED with the sizes, rows before delivered', async () => {
    for (const cut of [Math.floor(good.length * 0.6), (leaves[3] ?? 0) * pageSize]) {
      const { rows, error } = await readUntil(alone('leak.db', good.subarray(0, cut)));
      expect(error).toBeInstanceOf(VigieError);
      expect(error).toMatchObject({ code: 'VIGIE_TRUNCATED', message: expect.stringContaining(`truncated: ${cut} bytes of ${good.length}`) });
      expect((error as VigieError).position?.table).toBe('clients');
      expect(rows.get('clients') ?? 0).toBeGreaterThan(0);
    }
    const header = await readUntil(alone('leak.db', good.subarray(0, 60)));
    expect(header.error).toMatchObject({ code: 'VIGIE_TRUNCATED', message: 'leak.db: SQLite database shorter than its 100-byte header (60 bytes)' });
  });

  it('bytes flipped at random: every copy read to its end or to a VigieError, never a crash', async () => {
    const rng = new Rng(5);
    const outcomes = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(good);
      for (let k = 0; k < 1 + rng.int(20); k++) bytes[rng.int(bytes.length)] = rng.int(256);
      const { error } = await readUntil(alone('leak.db', bytes));
      if (error !== undefined && !(error instanceof VigieError)) throw error;
      outcomes.add(error === undefined ? 'read' : (error as VigieError).code);
    }
    expect(outcomes.has('read')).toBe(true);
  });

  it('the header of a database over garbage, and garbage named like a database (SQLCipher): refused clearly', async () => {
    const rng = new Rng(6);
    const noise = Buffer.from(Array.from({ length: 8192 }, () => rng.int(256)));
    const fake = Buffer.concat([good.subarray(0, 100), noise]);
    fake.writeUInt16BE(4096, 16);
    fake.writeUInt32BE(2, 28); // two pages, as many as the file holds: not truncated
    const a = await readUntil(alone('leak.db', fake.subarray(0, 8192)));
    expect(a.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', message: expect.stringMatching(/^leak\.db: (corrupt SQLite database|not a SQLite database)/) });
    const b = await readUntil(alone('leak.db', noise));
    expect(b.error).toMatchObject({
      code: 'VIGIE_BAD_FORMAT',
      message: 'leak.db: binary content, not a SQLite database (an encrypted one, SQLCipher, cannot be read without its key), not text or a supported archive',
    });
    const odd = Buffer.from(good);
    odd.writeUInt16BE(1000, 16);
    expect((await readUntil(alone('leak.db', odd))).error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', message: expect.stringContaining('page size 1000') });
  });

  it('a b-tree whose pages point at the same children again and again: refused, in time proportional to its size', async () => {
    const path = join(mkdtempSync(join(dir, 'case-')), 'leak.db');
    sqlite3(
      path,
      'PRAGMA page_size = 512;\nCREATE TABLE t (a INTEGER);\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) INSERT INTO t SELECT i FROM n;\n',
    );
    const db = new Database(path, { readonly: true });
    const root = Number(db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 't'").pluck().get());
    const depth = Number(db.prepare("SELECT max(length(path)) FROM dbstat WHERE name = 't'").pluck().get());
    db.close();
    expect(depth).toBeGreaterThanOrEqual(9); // '/000/000/': three levels
    const bytes = readFileSync(path);
    // An interior page's children (the right-most last), and all of them made `target`.
    const cells = (page: number): number[] => {
      const at = (page - 1) * 512;
      const n = bytes.readUInt16BE(at + 3);
      return [...Array.from({ length: n }, (_, i) => at + bytes.readUInt16BE(at + 12 + 2 * i)), at + 8];
    };
    const children = (page: number): number[] => cells(page).map((o) => bytes.readUInt32BE(o));
    const point = (page: number, target: number): void => {
      for (const o of cells(page)) bytes.writeUInt32BE(target, o);
    };
    // root -> x (all its children), x -> y, y -> a leaf: a few hundred pages read as millions.
    const [x = 0, y = 0] = children(root);
    const leaf = children(y)[0] ?? 0;
    point(root, x);
    point(x, y);
    point(y, leaf);
    writeFileSync(path, bytes);
    const started = Date.now();
    const { rows, error } = await readUntil(path);
    expect(error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', message: expect.stringContaining('more records than its size can hold') });
    expect(rows.get('t') ?? 0).toBeLessThanOrEqual(bytes.length / 4);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a journal beside the file: read from a copy in memory, nothing rolled back or written', async () => {
    const path = alone('leak.db', good);
    const journal = `${path}-journal`;
    writeFileSync(journal, Buffer.alloc(4096, 0xd9));
    const { rows, error } = await readUntil(path);
    expect(error).toBeUndefined();
    expect(rows.get('clients')).toBe(400);
    expect(readdirSync(join(path, '..')).sort()).toEqual(['leak.db', 'leak.db-journal']);
    expect(readFileSync(path).equals(good)).toBe(true);
    copyFileSync(path, join(dir, 'unused.db')); // the file is still a whole database
  });
});
