/**
 * `vigie ingest --dry-run`: the report a responding organisation reads (docs/architecture.md §2,
 * "a responding organisation"), checked against the generator's ground truth, through the CLI.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GenOptions, type GroundTruth } from '../gen/index.js';
import type { ImpactReport } from '../report/index.js';
import { identifiersInFile, type Identifiers } from './test-helpers/leaked.js';
import { cliEnv, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('ingest');
const dataDir = join(tmp.dir, 'data');
const env = cliEnv(dataDir);
afterAll(tmp.cleanup);

interface Fixture {
  file: string;
  truth: GroundTruth;
  ids: Identifiers;
}

async function fixture(name: string, opts: Omit<GenOptions, 'out'>): Promise<Fixture> {
  const file = join(tmp.dir, name);
  const truth = await writeDataset({ out: file, ...opts });
  return { file, truth, ids: identifiersInFile(file) };
}

/** The one JSON object `--json` prints: stdout holds exactly one line, and it parses. */
function parseReport(stdout: string): ImpactReport {
  const lines = stdout.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as ImpactReport;
}

function expectTruth(r: ImpactReport, f: Fixture): void {
  const t = f.truth;
  expect(r.records).toBe(t.rows);
  expect(r.skipped).toBe(t.malformed);
  expect(r.people).toBe(t.people);
  // Every class the truth counts, with the same valid, invalid and distinct counts...
  for (const [cls, c] of Object.entries(t.dataClasses)) {
    if (c.valid === 0 && c.invalid === 0) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: c.valid, invalid: c.invalid, distinct: c.distinct }));
  }
  // ...and no class the file does not hold.
  for (const cls of Object.keys(r.dataClasses)) expect(Object.keys(t.dataClasses), cls).toContain(cls);
  // Each reason: its count and the positions of its first cases, naming the file and a line.
  const reasons = Object.values(r.skippedReasons);
  expect(reasons.reduce((n, s) => n + s.count, 0)).toBe(t.malformed);
  for (const s of reasons) {
    expect(s.first.length).toBeGreaterThan(0);
    expect(s.first.length).toBeLessThanOrEqual(s.count);
    for (const p of s.first) expect(p).toMatch(new RegExp(`^${escapeRegExp(f.file)}, line \\d+`));
  }
  expect(r.tables).toHaveLength(1);
  const table = r.tables[0]!;
  expect(table.name).toContain(f.file);
  expect(table.records).toBe(t.rows);
  expect(table.skipped).toBe(t.malformed);
  expect(table.columns.map((c) => ({ name: c.name, dataClass: c.dataClass }))).toEqual(t.columns);
  for (const c of table.columns) {
    expect(c.confidence).toBeGreaterThanOrEqual(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('vigie ingest --dry-run', () => {
  let excel: Fixture;
  let ndjson: Fixture;
  beforeAll(async () => {
    // French Excel export: `;`, Windows-1252, CRLF; the `full` columns (bank, SIRET, password, comment).
    excel = await fixture('export-clients.csv', { rows: 3000, seed: 21, format: 'csv', columns: 'full', delimiter: ';', encoding: 'windows-1252' });
    // An ANTS-like NDJSON dump with 2 % of broken lines (cut short, unquoted key).
    ndjson = await fixture('comptes.ndjson', { rows: 3000, seed: 22, format: 'ndjson', columns: 'ants', malformedShare: 0.02 });
  });

  it('--json prints one JSON object whose counts equal the ground truth (Windows-1252 CSV)', async () => {
    const r = await runCli(['ingest', excel.file, '--breach', 'Export-Clients_2024', '--dry-run', '--json', '--workers', '0'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.breach).toBe('Export-Clients_2024');
    expect(report.dryRun).toBe(true);
    expect(report.published).toBeUndefined();
    expect(report.tables[0]!.meta).toEqual(expect.objectContaining({ delimiter: ';', encoding: 'windows-1252' }));
    expect(excel.truth.malformed).toBe(0);
    expectTruth(report, excel);
  });

  it('--json counts the malformed NDJSON lines by reason and equals the ground truth', async () => {
    const r = await runCli(['ingest', ndjson.file, '--breach', 'ANTS', '--dry-run', '--json', '--workers', '0'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = parseReport(r.stdout);
    expect(ndjson.truth.malformed).toBeGreaterThan(20);
    expectTruth(report, ndjson);
    expect(Object.keys(report.skippedReasons)).toContain('invalid JSON');
  });

  it('--json carries the leak metadata given as flags', async () => {
    const args = ['ingest', ndjson.file, '--breach', 'ANTS', '--title', 'Agence nationale des titres sécurisés', '--date', '2025-10-28'];
    const r = await runCli([...args, '--domain', 'ants.gouv.fr', '--sensitive', '--dry-run', '--json', '--workers', '0'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r.stdout);
    expect(report).toEqual(
      expect.objectContaining({ title: 'Agence nationale des titres sécurisés', breachDate: '2025-10-28', domain: 'ants.gouv.fr', isSensitive: true }),
    );
  });

  it('prints the table of data classes and columns as text, the same on worker threads', async () => {
    const r = await runCli(['ingest', excel.file, '--breach', 'Export', '--dry-run', '--workers', '2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Leak Export [dry run: nothing stored]');
    expect(lines[1]).toMatch(/^3,000 records, 0 skipped, [\d,]+ people/);
    expect(r.stdout).toMatch(/│ Data class\s+│ Valid\s+│ Invalid\s+│ Distinct\s+│ Valid share\s+│/);
    const fmt = (n: number): string => n.toLocaleString('en-US');
    for (const [cls, c] of Object.entries(excel.truth.dataClasses)) {
      if (c.valid + c.invalid === 0) continue;
      const row = lines.find((l) => l.startsWith(`│ ${cls} `));
      expect(row, cls).toBeDefined();
      expect(
        row!
          .split('│')
          .map((s) => s.trim())
          .slice(1, 5),
      ).toEqual([cls, fmt(c.valid), fmt(c.invalid), fmt(c.distinct)]);
    }
    expect(r.stdout).toMatch(/│ Column\s+│ Data class\s+│ Confidence\s+│ Evidence\s+│/);
    expect(r.stdout).toMatch(/│ nir\s+│ Social security numbers\s+│/);
  });

  it('reports counts only: no identifier of the file appears in the report', async () => {
    for (const f of [excel, ndjson]) {
      expect(f.ids.emails.length).toBeGreaterThan(1000);
      expect(f.ids.phones.length).toBeGreaterThan(1000);
      for (const mode of [['--json'], []]) {
        const r = await runCli(['ingest', f.file, '--breach', 'Leak', '--dry-run', '--workers', '0', ...mode], env);
        expect(r.code, r.stderr).toBe(0);
        const out = r.stdout + r.stderr;
        const leaked = f.ids.all.filter((v) => out.includes(v));
        expect(leaked).toEqual([]);
      }
    }
    expect(excel.ids.nirs.length).toBeGreaterThan(1000);
  });

  it('writes nothing in the data directory on a dry run', async () => {
    const before = readdirSync(tmp.dir).sort();
    const r = await runCli(['ingest', excel.file, ndjson.file, '--breach', 'Both', '--dry-run', '--json', '--workers', '0'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.records).toBe(excel.truth.rows + ndjson.truth.rows);
    expect(report.tables).toHaveLength(2);
    expect(existsSync(dataDir)).toBe(false);
    expect(readdirSync(tmp.dir).sort()).toEqual(before);
  });
});
