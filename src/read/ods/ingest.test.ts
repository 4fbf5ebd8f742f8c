/**
 * The same workbook saved by LibreOffice as .ods and as .xlsx gives the same report: the
 * committed fixtures (fixtures/make-fixtures.sh), and, where LibreOffice is installed (.ci/run
 * installs it for the xls reader's tests), spreadsheets made now from generated people and from
 * an openpyxl workbook.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const hasSoffice = spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;
const hasOpenpyxl = spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'vigie-ods-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Report = Awaited<ReturnType<typeof ingest>>;

async function report(file: string): Promise<Report> {
  return ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });
}

/** What must not depend on the format: per table (by sheet) its counts and columns' classes, and the leak's classes. */
function gist(r: Report): unknown {
  return {
    tables: r.tables.map((t) => ({
      sheet: t.name.slice(t.name.lastIndexOf(':') + 1),
      records: t.records,
      skipped: t.skipped,
      columns: t.columns.map((c) => [c.name, c.dataClass]),
    })),
    dataClasses: r.dataClasses,
  };
}

async function sameReport(ods: string, xlsx: string): Promise<Report> {
  const a = await report(ods);
  const b = await report(xlsx);
  expect(a.tables.map((t) => t.format)).toEqual(a.tables.map(() => 'ods'));
  expect(b.tables.map((t) => t.format)).toEqual(b.tables.map(() => 'xlsx'));
  expect(gist(a)).toEqual(gist(b));
  return a;
}

/** LibreOffice, headless, with a profile of its own in the test's directory. */
function soffice(args: string[]): void {
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, ...args], { stdio: 'ignore', timeout: 120_000 });
}

describe('the same workbook as .ods and as .xlsx', () => {
  it('gives the same report for the committed fixtures, with the classes of generated people', async () => {
    const r = await sameReport(join(FIXTURES, 'people.ods'), join(FIXTURES, 'people.xlsx'));
    expect(r.tables[0]).toMatchObject({ records: 300, skipped: 0 });
    for (const cls of ['Email addresses', 'Names', 'Dates of birth', 'Phone numbers', 'Physical addresses']) {
      expect(r.dataClasses[cls]?.valid ?? 0, cls).toBeGreaterThan(100);
    }
    const typed = await sameReport(join(FIXTURES, 'typed.ods'), join(FIXTURES, 'typed.xlsx'));
    expect(typed.tables.map((t) => [t.name.slice(t.name.lastIndexOf(':') + 1), t.records])).toEqual([
      ['Clients', 7],
      ['Caché', 3],
    ]);
    expect(typed.dataClasses['Email addresses']?.valid).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it.skipIf(!hasSoffice)(
    'gives the same report for spreadsheets LibreOffice makes now from a CSV of generated people',
    async () => {
      const csv = join(dir, 'clients.csv');
      const truth = await writeDataset({ out: csv, rows: 2000, seed: 41, format: 'csv', columns: 'standard' });
      for (const fmt of ['ods', 'xlsx']) soffice(['--infilter=CSV:59,34,76,1,,1036', '--convert-to', fmt, '--outdir', dir, csv]);
      const r = await sameReport(join(dir, 'clients.ods'), join(dir, 'clients.xlsx'));
      expect(r.tables[0]).toMatchObject({ records: truth.rows, skipped: 0 });
      // Emails and names stay text: the ground truth's counts exactly.
      for (const cls of ['Email addresses', 'Names']) {
        expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: truth.dataClasses[cls]?.valid, distinct: truth.dataClasses[cls]?.distinct }));
      }
    },
    180_000,
  );

  it.skipIf(!hasSoffice)(
    'reads back what LibreOffice turned into numbers: every class of generated people equals the ground truth',
    async () => {
      // LibreOffice imports digit-only text as numbers: SIRETs, phones and postcodes lose their leading 0s.
      const csv = join(dir, 'complet.csv');
      const truth = await writeDataset({ out: csv, rows: 3000, seed: 81, format: 'csv', columns: 'full' });
      soffice(['--infilter=CSV:59,34,76,1,,1036', '--convert-to', 'xlsx', '--outdir', dir, csv]);
      const r = await report(join(dir, 'complet.xlsx'));
      expect(r.tables[0]).toMatchObject({ records: truth.rows, skipped: 0 });
      for (const [cls, t] of Object.entries(truth.dataClasses)) {
        if (t.valid === 0 && t.invalid === 0) continue;
        expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
      }
    },
    180_000,
  );

  it.skipIf(!hasSoffice || !hasOpenpyxl)(
    'gives the same report for an openpyxl workbook of typed cells saved by LibreOffice in both formats',
    async () => {
      const src = join(dir, 'typed-src.xlsx');
      execFileSync('/usr/bin/python3', [join(FIXTURES, 'typed.py'), src]);
      soffice(['--convert-to', 'ods', '--outdir', join(dir, 'lo'), src]);
      copyFileSync(join(dir, 'lo', 'typed-src.ods'), join(dir, 'typed.ods'));
      soffice(['--convert-to', 'xlsx', '--outdir', join(dir, 'lo'), join(dir, 'typed.ods')]);
      await sameReport(join(dir, 'typed.ods'), join(dir, 'lo', 'typed.xlsx'));
    },
    180_000,
  );
});
