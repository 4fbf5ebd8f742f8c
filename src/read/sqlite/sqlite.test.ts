/**
 * SQLite database files read directly, made at test time by the real `sqlite3` program:
 * a web shop's customers (synthetic French people) and orders, with a view, an index, a
 * trigger, a virtual table, a generated column, NULLs, BLOBs and an oddly named table; the
 * same database's `.dump` must read the same; WAL mode must leave nothing beside the file.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest/index.js';
import { makeZip } from '../archive/test-helpers/zip.js';
import { readSource, type Cell } from '../index.js';
import { gather, hasSqlite3, makeShop, ODD_TABLE, sqlite3 } from './test-helpers/shop.js';

const present = hasSqlite3();
const dir = mkdtempSync(join(tmpdir(), 'vigie-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (path: string, opts: Record<string, unknown> = {}) => gather(readSource(path, { displayName: path.slice(dir.length + 1), ...opts }));
const CUSTOMERS = 600;

/** The tables an FTS5 table keeps its data in: ordinary tables, read. */
const SHADOWS = ['recherche_data', 'recherche_idx', 'recherche_content', 'recherche_docsize', 'recherche_config'];

describe.skipIf(!present && !process.env['CI'])('a SQLite database file', () => {
  let shop: string;
  beforeAll(() => {
    shop = makeShop(dir, 'shop.sqlite', { customers: CUSTOMERS, seed: 7 });
  });

  it('reads each ordinary table as file:table, its stored columns, its cells as text', async () => {
    const before = readdirSync(dir);
    const g = await read(shop);
    expect(readdirSync(dir)).toEqual(before);
    expect(g.tables.map((t) => t.name)).toEqual(['clients', 'commandes', ODD_TABLE, ...SHADOWS].map((n) => `shop.sqlite:${n}`));
    const [clients, commandes, odd] = g.tables;
    if (clients === undefined || commandes === undefined || odd === undefined) throw new Error('tables missing');
    expect(clients.format).toBe('sqlite');
    expect(clients.columns).toEqual([
      'id',
      'nom',
      'prénom',
      'email',
      'téléphone',
      'date_naissance',
      'adresse',
      'code_postal',
      'ville',
      'nir',
      'iban',
      'solde',
      'photo',
      'note',
    ]);
    expect(clients.meta['encoding']).toBe('UTF-8');
    expect(clients.meta['notRead']).toBe(
      'views (never run): clients_actifs; virtual tables (module not run, shadow tables read): recherche; internal tables: sqlite_sequence',
    );
    expect(commandes.meta['notRead']).toBeUndefined();
    expect(clients.rows).toHaveLength(CUSTOMERS);
    expect(clients.skips).toEqual([]);
    const [first, second] = clients.rows;
    expect(first?.[0]).toBe('1');
    expect(first?.[13]).toBe('ligne 1\nl\'autre "guillemets"');
    expect(second?.[13]).toBe('C:\\dossier\\');
    expect(clients.rows[6]?.[12]).toBe(`0x${Buffer.from('JPEG-7').toString('hex')}`);
    expect(clients.rows[0]?.[12]).toBeNull();
    for (const r of clients.rows) {
      expect(r[9]).toMatch(/^[12]\d{4}(?:\d\d|2A|2B)\d{8}$/); // nir
      expect(r[11] ?? null).toSatisfy((c: Cell) => c === null || /^\d+\.\d+$/.test(c)); // solde: REAL as SQL text
    }
    expect(clients.rows.some((r) => r[4] === null)).toBe(true); // a NULL phone
    expect(odd.columns).toEqual(['client id', 'remise "%"']);
    expect(odd.rows.slice(0, 2)).toEqual([
      ['10', '12.5'],
      ['20', null],
    ]);
    expect(commandes.rows.every((r) => r[4] === 'payée' || r[4] === 'expédiée')).toBe(true); // the trigger ran in sqlite3, not here
  });

  it('reads as its sqlite3 .dump reads: same tables, rows, records and classes', async () => {
    // The FTS5 table included: the dump writes its shadow tables as `CREATE TABLE IF NOT EXISTS
    // 'recherche_data'` (a single-quoted name) and declares the table itself by an INSERT INTO
    // sqlite_schema, which is SQLite's own and no records.
    const plain = join(dir, 'plain.sqlite');
    copyFileSync(shop, plain);
    const dump = join(dir, 'plain.sql');
    writeFileSync(dump, sqlite3(plain, '.dump\n'));
    const [db, sql] = [await read(plain), await read(dump)];
    // A dump reader may start a table again (a second INSERT run): its rows are concatenated.
    const byName = (g: typeof db, prefix: string) => {
      const m = new Map<string, { columns: string[]; rows: Cell[][] }>();
      for (const t of g.tables) {
        const name = t.name.slice(prefix.length);
        const seen = m.get(name);
        if (seen) seen.rows.push(...t.rows);
        else m.set(name, { columns: t.columns, rows: [...t.rows] });
      }
      return m;
    };
    const fromDb = byName(db, 'plain.sqlite:');
    const fromSql = byName(sql, 'plain.sql:');
    expect([...fromDb.keys()]).toEqual(['clients', 'commandes', ODD_TABLE, ...SHADOWS]);
    expect([...fromSql.keys()]).toEqual([...fromDb.keys()]);
    for (const [name, t] of fromDb) {
      const d = fromSql.get(name);
      expect(t.columns, name).toEqual(d?.columns);
      // REALs: sqlite3 3.40's .dump writes 20 significant digits (537.04999999999995454), the
      // file reads as SQLite's shortest text for the double (537.05): the same double.
      expect(t.rows.map(normalReals), name).toEqual(d?.rows.map(normalReals));
    }
    const a = await ingest({ files: [plain], breach: { name: 'Db' }, dryRun: true, workers: 0 });
    const b = await ingest({ files: [dump], breach: { name: 'Dump' }, dryRun: true, workers: 0 });
    const tables = (r: typeof a, file: string) => r.tables.map((t) => [t.name.slice(file.length + 1), t.records, t.skipped, t.columns.map((c) => c.dataClass)]);
    expect(tables(a, plain)).toEqual(tables(b, dump));
    const shadowRows = SHADOWS.reduce((n, t) => n + (fromDb.get(t)?.rows.length ?? 0), 0);
    expect(shadowRows).toBeGreaterThan(0);
    expect(a.records).toBe(CUSTOMERS + (fromDb.get('commandes')?.rows.length ?? 0) + CUSTOMERS / 10 + shadowRows);
    expect([a.records, a.skipped, a.people]).toEqual([b.records, b.skipped, b.people]);
    expect(a.dataClasses).toEqual(b.dataClasses);
    // The full-text index holds some of the customers' addresses again (its content table): more
    // values, the same people.
    expect(a.dataClasses['Email addresses']?.valid).toBeGreaterThan(CUSTOMERS);
    expect(a.dataClasses['Email addresses']?.distinct).toBe(CUSTOMERS);
    // Its rows carry an address and no NIR: counted by the address, where the customers' rows are
    // counted by their NIR, so those 20 people count twice (people are counted by each record's
    // strongest identifier, README "Reading the report").
    expect(a.people).toBe(CUSTOMERS + 20);
  });

  it('leaves nothing beside a WAL-mode database (read from a copy in memory)', async () => {
    const wdir = mkdtempSync(join(dir, 'wal-'));
    const wal = makeShop(wdir, 'app.db', { customers: 50, seed: 8, wal: true });
    const bytes = readFileSync(wal);
    expect([bytes[18], bytes[19]]).toEqual([2, 2]); // WAL mode, in the header
    expect(readdirSync(wdir)).toEqual(['app.db']);
    const g = await read(wal);
    expect(readdirSync(wdir)).toEqual(['app.db']);
    expect(readFileSync(wal).equals(bytes)).toBe(true);
    expect(g.tables[0]?.rows).toHaveLength(50);
    expect(g.tables[0]?.meta).toMatchObject({ journal: 'wal', readFrom: 'memory (WAL mode)' });
    await expect(read(wal, { maxInMemoryDatabaseBytes: 4096 })).rejects.toMatchObject({ code: 'VIGIE_TOO_LARGE' });
    expect(readdirSync(wdir)).toEqual(['app.db']);
  });

  it('reads a database from a zip and from gzip, in memory, within the cap', async () => {
    const bytes = readFileSync(shop);
    const zip = join(dir, 'fuite.zip');
    writeFileSync(zip, await makeZip([{ name: 'app/shop.db', data: bytes }]));
    const gz = join(dir, 'shop.db.gz');
    writeFileSync(gz, gzipSync(bytes));
    const z = await read(zip);
    expect(z.tables[0]).toMatchObject({
      name: 'fuite.zip:app/shop.db:clients',
      format: 'sqlite',
      meta: { container: 'zip', readFrom: 'memory (archive member)' },
    });
    expect(z.tables[0]?.rows).toHaveLength(CUSTOMERS);
    const g = await read(gz);
    expect(g.tables[0]).toMatchObject({ name: 'shop.db.gz:clients', meta: { container: 'gzip' } });
    expect(g.tables.map((t) => t.rows)).toEqual(z.tables.map((t) => t.rows));
    await expect(read(gz, { maxInMemoryDatabaseBytes: 64 * 1024 })).rejects.toMatchObject({
      code: 'VIGIE_TOO_LARGE',
      message: expect.stringContaining('shop.db.gz'),
    });
  });

  it('leaves generated columns out, as sqlite3 .dump does: they would run the schema', async () => {
    const gen = join(dir, 'generated.db');
    sqlite3(
      gen,
      "CREATE TABLE t (nom TEXT, complet TEXT GENERATED ALWAYS AS (upper(nom) || '!') VIRTUAL, stocke TEXT AS (nom || '?') STORED, ville TEXT);\n" +
        "INSERT INTO t (nom, ville) VALUES ('Dupont', 'Lyon');\n",
    );
    const g = await read(gen);
    expect(g.tables[0]).toMatchObject({ columns: ['nom', 'ville'], rows: [['Dupont', 'Lyon']] });
    const dump = join(dir, 'generated.sql');
    writeFileSync(dump, sqlite3(gen, '.dump t\n'));
    expect(readFileSync(dump, 'utf8')).toContain("INSERT INTO t VALUES('Dupont','Lyon');");
    // The dump reader leaves them out of the CREATE TABLE's columns too: its INSERTs have none.
    const d = await read(dump);
    expect(d.tables[0]).toMatchObject({ columns: ['nom', 'ville'], rows: [['Dupont', 'Lyon']], skips: [] });
  });

  it('a UTF-16 database: its text decoded, its encoding in the meta', async () => {
    const u16 = join(dir, 'utf16.db');
    sqlite3(u16, "PRAGMA encoding = 'UTF-16le';\nCREATE TABLE t (nom TEXT, n INTEGER);\nINSERT INTO t VALUES ('Éloïse N''Diaye 🙂', 9007199254740993);\n");
    const g = await read(u16);
    expect(g.tables[0]).toMatchObject({ meta: { encoding: 'UTF-16le' }, rows: [["Éloïse N'Diaye 🙂", '9007199254740993']] });
  });

  it('a reader stopped early closes the database and leaves the file as it was', async () => {
    const bytes = readFileSync(shop);
    for await (const ev of readSource(shop, { displayName: 'shop.sqlite', batchSize: 10 })) if (ev.kind === 'rows') break;
    expect(readFileSync(shop).equals(bytes)).toBe(true);
    expect((await read(shop)).tables[0]?.rows).toHaveLength(CUSTOMERS);
  });

  it('skips a record longer than the limit, at its number, and reads on', async () => {
    const long = join(dir, 'long.db');
    sqlite3(
      long,
      "CREATE TABLE t (a TEXT, b BLOB);\nINSERT INTO t VALUES ('court', NULL), (printf('%.*c', 5000, 'x'), NULL), ('x', zeroblob(3000)), ('fin', X'00ff');\n",
    );
    const g = await read(long, { maxRecordChars: 4096, batchSize: 1 });
    expect(g.tables[0]?.rows).toEqual([
      ['court', null],
      ['fin', '0x00ff'],
    ]);
    expect(g.tables[0]?.skips).toEqual([
      { reason: 'record too long', record: 2 },
      { reason: 'record too long', record: 3 },
    ]);
  });
});

/** A REAL as the same double, whatever its digits; other cells as they are. */
function normalReals(row: Cell[]): Cell[] {
  return row.map((c) => (c !== null && /^-?\d+\.\d+(e[+-]?\d+)?$/i.test(c) ? String(Number(c)) : c));
}
