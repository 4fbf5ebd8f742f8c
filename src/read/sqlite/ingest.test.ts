/**
 * End to end through the CLI: `vigie ingest shop.sqlite --dry-run --json` on a database made
 * by `sqlite3`, its report's classes and counts; a damaged database fails in one clean line
 * that names the table reached and holds no leaked value.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, expectCleanError, runCli, tempDir } from '../../cli/test-helpers/run-cli.js';
import type { ImpactReport } from '../../report/index.js';
import { hasSqlite3, makeShop } from './test-helpers/shop.js';

const present = hasSqlite3();
const tmp = tempDir('sqlite');
afterAll(tmp.cleanup);
const env = cliEnv(join(tmp.dir, 'data'));
const CUSTOMERS = 800;

describe.skipIf(!present && !process.env['CI'])('vigie ingest shop.sqlite', () => {
  let shop: string;
  let emails: string[];
  beforeAll(() => {
    shop = makeShop(tmp.dir, 'shop.sqlite', { customers: CUSTOMERS, seed: 12 });
    const db = new Database(shop, { readonly: true });
    emails = (db.prepare('SELECT email FROM clients').raw(true).all() as [string][]).map(([e]) => e);
    db.close();
  });

  it('--dry-run --json: every table, its records, the data classes', async () => {
    const before = readdirSync(tmp.dir);
    const r = await runCli(['ingest', shop, '--breach', 'Boutique', '--dry-run', '--json', '--workers', '2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(tmp.dir)).toEqual(before);
    const report = JSON.parse(r.stdout) as ImpactReport;
    const tables = new Map(report.tables.map((t) => [t.name.slice(shop.length + 1), t]));
    expect([...tables.keys()].slice(0, 3)).toEqual(['clients', 'commandes', 'carnet "VIP" de l\'été']);
    expect(tables.get('clients')).toMatchObject({ format: 'sqlite', records: CUSTOMERS, skipped: 0 });
    const byColumn = Object.fromEntries((tables.get('clients')?.columns ?? []).map((c) => [c.name, c.dataClass]));
    expect(byColumn).toMatchObject({ email: 'Email addresses', nir: 'Social security numbers', iban: 'Bank account numbers', téléphone: 'Phone numbers' });
    expect(report.skipped).toBe(0);
    expect(report.records).toBe([...tables.values()].reduce((n, t) => n + t.records, 0));
    // The FTS5 table's 20 texts (name and e-mail) are read from its content shadow table.
    expect(report.dataClasses['Email addresses']).toMatchObject({ valid: CUSTOMERS + 20, invalid: 0, distinct: CUSTOMERS });
    expect(report.dataClasses['Social security numbers']).toMatchObject({ valid: CUSTOMERS, distinct: CUSTOMERS });
    expect(report.dataClasses['Bank account numbers']).toMatchObject({ valid: CUSTOMERS, distinct: CUSTOMERS });
    const phones = report.dataClasses['Phone numbers'];
    expect(phones?.valid).toBeGreaterThan(CUSTOMERS * 0.8);
    expect(phones?.valid).toBeLessThan(CUSTOMERS);
  });

  it('a damaged database: one line naming the file, the table and the record, no leaked value', async () => {
    const bytes = readFileSync(shop);
    const db = new Database(shop, { readonly: true });
    const size = Number(db.pragma('page_size', { simple: true }));
    const leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'clients' AND pagetype = 'leaf' ORDER BY path").raw(true).all() as [number][]).map(
      ([p]) => p,
    );
    db.close();
    const page = leaves[leaves.length >> 1] ?? 2;
    bytes.fill(0x5a, (page - 1) * size + 8, page * size);
    const bad = join(tmp.dir, 'abime.sqlite');
    writeFileSync(bad, bytes);
    const r = await runCli(['ingest', bad, '--breach', 'Boutique', '--dry-run', '--json', '--workers', '0'], env);
    expectCleanError(r, { code: 'VIGIE_BAD_FORMAT', mentions: [bad, 'table clients, record ', 'corrupt SQLite database'], leaked: emails });
  });
});
