/**
 * `mysqldump --xml` and `mysql --xml` output of a scratch MariaDB database of synthetic French
 * customers (test-helpers/mariadb.ts), made at test time by the real tools and read back: the
 * same database dumped as SQL and as XML gives the same tables, the same rows and the same report.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../cli/test-helpers/run-cli.js';
import { ingest } from '../../ingest/index.js';
import type { ImpactReport } from '../../report/index.js';
import { readSource, type Cell, type ReadEvent } from '../index.js';
import { CUSTOMERS, hasMariadb, LONG_NOTE, scratchDatabase, TRICKY } from './test-helpers/mariadb.js';

const ci = process.env['CI'] !== undefined && process.env['CI'] !== '';
const dir = mkdtempSync(join(tmpdir(), 'vigie-mysqlxml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Table {
  name: string;
  format: string;
  columns: string[];
  meta: Record<string, string>;
  rows: Cell[][];
  skips: string[];
}

async function read(file: string): Promise<Table[]> {
  const tables: Table[] = [];
  for await (const ev of readSource(file, { displayName: file }) as AsyncIterable<ReadEvent>) {
    if (ev.kind === 'table') tables.push({ name: ev.name, format: ev.format, columns: ev.columns, meta: ev.meta, rows: [], skips: [] });
    else if (ev.kind === 'rows') tables[tables.length - 1]?.rows.push(...ev.rows);
    else tables[tables.length - 1]?.skips.push(ev.reason);
  }
  return tables;
}

/** The report without what differs by nature between two files: names, format, meta, timings. */
function comparable(r: ImpactReport, file: string) {
  return {
    records: r.records,
    skipped: r.skipped,
    people: r.people,
    unidentified: r.unidentified,
    dataClasses: r.dataClasses,
    warnings: r.warnings.map((w) => w.code),
    tables: r.tables.map((t) => ({ name: t.name.slice(file.length), records: t.records, skipped: t.skipped, columns: t.columns })),
  };
}

const CLIENT_COLUMNS = [
  'id',
  'civilite',
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
  'notes',
  'actif',
  'photo',
];

describe.skipIf(!hasMariadb && !ci)('mysqldump --xml and mysql --xml against MariaDB', () => {
  let db: ReturnType<typeof scratchDatabase>;
  const at = (name: string) => join(dir, name);
  beforeAll(() => {
    db = scratchDatabase();
  });
  afterAll(() => db?.drop());

  it('the SQL and XML dumps of one database give the same tables, columns and rows, with and without --hex-blob', async () => {
    for (const hex of [[], ['--hex-blob']]) {
      writeFileSync(at('dump.sql'), db.dump(...hex));
      writeFileSync(at('dump.xml'), db.dump('--xml', ...hex));
      const sql = await read(at('dump.sql'));
      const xml = await read(at('dump.xml'));
      expect(xml.map((t) => t.name.slice(at('dump.xml').length))).toEqual([':clients', ':commandes']);
      expect(xml.map((t) => t.name.slice(at('dump.xml').length))).toEqual(sql.map((t) => t.name.slice(at('dump.sql').length)));
      expect(xml[0]?.columns).toEqual(CLIENT_COLUMNS);
      expect(xml[0]).toMatchObject({ format: 'mysqlxml', meta: { table: 'clients', database: db.name, columnsFrom: 'table_structure', encoding: 'utf8' } });
      for (const [i, t] of xml.entries()) {
        expect(t.columns).toEqual(sql[i]?.columns);
        expect(t.skips).toEqual([]);
        expect(t.rows).toEqual(sql[i]?.rows);
      }
      expect(xml.map((t) => t.rows.length)).toEqual([CUSTOMERS, 120]);
    }
  });

  it('binary columns written raw, NULs included (not well-formed XML, as mysqldump --xml writes them): the same rows as the SQL dump', async () => {
    const bin = scratchDatabase();
    try {
      // A table dumped first (`badges` < `clients`) of the customers' names and 256 random-looking bytes each (a key, a thumbnail).
      bin.query(
        'CREATE TABLE badges (id INT PRIMARY KEY, nom VARCHAR(80), jeton VARBINARY(256)); ' +
          'INSERT INTO badges SELECT id, nom, UNHEX(CONCAT(SHA2(id, 512), SHA2(id + 1e6, 512), SHA2(id + 2e6, 512), SHA2(id + 3e6, 512))) FROM clients',
      );
      writeFileSync(at('bin.sql'), bin.dump());
      const xmlBytes = bin.dump('--xml');
      expect(xmlBytes.includes(0)).toBe(true);
      writeFileSync(at('bin.xml'), xmlBytes);
      const sql = await read(at('bin.sql'));
      const xml = await read(at('bin.xml'));
      expect(xml.map((t) => [t.name.slice(at('bin.xml').length), t.format, t.meta['encoding'], t.rows.length, t.skips])).toEqual([
        [':badges', 'mysqlxml', 'utf8', CUSTOMERS, []],
        [':clients', 'mysqlxml', 'utf8', CUSTOMERS, []],
        [':commandes', 'mysqlxml', 'utf8', 120, []],
      ]);
      expect(xml[0]?.rows.map((r) => r[1])).toEqual(sql[0]?.rows.map((r) => r[1]));
      expect(xml[1]?.rows).toEqual(sql[1]?.rows);
    } finally {
      bin.drop();
    }
  });

  it('keeps NULL, the empty string, entities, accents, emoji, quotes, line breaks and a 200 KB text exactly', async () => {
    writeFileSync(at('hex.xml'), db.dump('--xml', '--hex-blob'));
    const [clients, commandes] = await read(at('hex.xml'));
    const byId = new Map(clients?.rows.map((r) => [r[0], r]));
    const cell = (id: number, col: string) => byId.get(String(id))?.[CLIENT_COLUMNS.indexOf(col)];
    for (const [id, values] of Object.entries(TRICKY)) {
      for (const [col, v] of Object.entries(values)) expect(cell(Number(id), col), `${id}.${col}`).toBe(v);
    }
    expect(cell(8, 'notes')).toHaveLength(LONG_NOTE.length);
    expect([cell(1, 'photo'), cell(2, 'photo'), cell(3, 'photo')]).toEqual(['0x00011A3C265C0A41', '', null]);
    expect([cell(1, 'actif'), cell(3, 'actif')]).toEqual(['0x01', '0x00']);
    expect(cell(10, 'date_naissance')).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(commandes?.columns).toEqual(['id', 'client_id', 'Référence', 'montant', 'statut', 'commentaire']);
    expect(commandes?.rows[6]).toEqual(['7', '50', 'CMD-2024007', '93.59', 'expédiée', "Livraison à l'accueil & <bâtiment B>"]);
    expect(commandes?.rows[3]?.[5]).toBeNull();
  });

  it('mysql --xml: a plain SELECT is named after its table, a join is `resultset`, each statement a table, fields by name', async () => {
    const client = db.query(
      "SELECT id, nom, email FROM clients WHERE id <= 50 ORDER BY id; SELECT c.nom, o.montant, c.id, o.id FROM clients c JOIN commandes o ON o.client_id = c.id ORDER BY o.id; SELECT * FROM vide; SELECT `prénom`, notes FROM `clients` WHERE notes LIKE '%<%'",
      '--xml',
    );
    writeFileSync(at('client.xml'), client);
    const tables = await read(at('client.xml'));
    const names = tables.map((t) => t.name.slice(at('client.xml').length));
    expect(names).toEqual([':clients', ':resultset', ':clients']);
    expect(tables[0]).toMatchObject({ format: 'mysqlxml', columns: ['id', 'nom', 'email'], meta: { table: 'clients', columnsFrom: 'row' } });
    expect(tables[0]?.rows).toHaveLength(50);
    expect(tables[0]?.rows[0]).toEqual(['1', "O'Brien", expect.stringContaining('@')]);
    // A name given twice is two columns, each field to its own.
    expect(tables[1]?.columns).toEqual(['nom', 'montant', 'id', 'id']);
    expect(tables[1]?.rows).toHaveLength(120);
    expect(tables[1]?.rows[6]?.slice(1)).toEqual(['93.59', '50', '7']);
    expect(tables[2]?.rows.map((r) => r[1])).toEqual(Object.values(TRICKY).flatMap((v) => (v['notes']?.includes('<') ? [v['notes']] : [])));
  });

  it('reads the XML dump gzipped and zipped', async () => {
    const xml = db.dump('--xml');
    writeFileSync(at('z.xml.gz'), gzipSync(xml));
    writeFileSync(at('inner.xml'), xml);
    execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-c', at('z.zip'), at('inner.xml')]);
    for (const f of ['z.xml.gz', 'z.zip']) {
      const tables = await read(at(f));
      expect(tables.map((t) => [t.name.split(':').pop(), t.rows.length, t.meta['container']])).toEqual([
        ['clients', CUSTOMERS, f.endsWith('.gz') ? 'gzip' : 'zip'],
        ['commandes', 120, f.endsWith('.gz') ? 'gzip' : 'zip'],
      ]);
    }
  });

  it('the SQL and XML dumps give the same impact report', async () => {
    writeFileSync(at('report.sql'), db.dump());
    writeFileSync(at('report.xml'), db.dump('--xml'));
    const run = (file: string) => ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });
    const sql = comparable(await run(at('report.sql')), at('report.sql'));
    const xml = comparable(await run(at('report.xml')), at('report.xml'));
    expect(xml).toEqual(sql);
    expect(xml.records).toBe(CUSTOMERS + 120);
  });

  it('end to end through the CLI: vigie ingest dump.xml --dry-run --json', async () => {
    writeFileSync(at('cli.xml'), db.dump('--xml', '--hex-blob'));
    const data = mkdtempSync(join(dir, 'data-'));
    const r = await runCli(['ingest', at('cli.xml'), '--dry-run', '--breach', 'Test', '--json'], cliEnv(data));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ImpactReport;
    expect(report).toMatchObject({ records: CUSTOMERS + 120, skipped: 0, warnings: [] });
    const clients = report.tables.find((t) => t.name === `${at('cli.xml')}:clients`);
    expect(clients).toMatchObject({ format: 'mysqlxml', records: CUSTOMERS, skipped: 0 });
    const classOf = (col: string) => clients?.columns.find((c) => c.name === col)?.dataClass;
    expect(['email', 'téléphone', 'nir', 'iban', 'date_naissance', 'nom'].map(classOf)).toEqual([
      'Email addresses',
      'Phone numbers',
      'Social security numbers',
      'Bank account numbers',
      'Dates of birth',
      'Names',
    ]);
    expect(report.dataClasses['Email addresses']?.valid).toBe(CUSTOMERS);
    // Row 2 has no NIR: NULL is no value, not an invalid one.
    expect(report.dataClasses['Social security numbers']).toMatchObject({ valid: CUSTOMERS - 1, invalid: 0 });
    expect(report.people).toBe(CUSTOMERS);
  });
});
