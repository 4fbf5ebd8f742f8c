/**
 * The ground truth must equal an independent recount of the written file: parsed with
 * third-party parsers, validated with independent rules (see test-helpers/recount.ts).
 */
import iconv from 'iconv-lite';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth } from './truth.js';
import { flatten, parseCsv, parseMysqlInserts, parseNdjson, recount, type Row } from './test-helpers/recount.js';
import { writeDataset, type GenOptions } from './write.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-gen-truth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Shares high enough that every path (broken values, duplicates, malformed rows) occurs often. */
const HARSH = { rows: 1000, invalidShare: 0.1, duplicateShare: 0.2 } as const;

async function generate(name: string, opts: Omit<GenOptions, 'out'>): Promise<{ truth: GroundTruth; bytes: Buffer }> {
  const out = join(dir, name);
  const truth = await writeDataset({ ...opts, out });
  const saved = JSON.parse(await readFile(`${out}.truth.json`, 'utf8')) as GroundTruth;
  expect(saved).toEqual(truth);
  return { truth, bytes: await readFile(out) };
}

function expectMatches(truth: GroundTruth, rows: Row[], malformed: number): void {
  const again = recount(rows, truth.columns);
  expect(truth.rows).toBe(rows.length);
  expect(truth.malformed).toBe(malformed);
  expect(truth.dataClasses).toEqual(again.dataClasses);
  expect(truth.people).toBe(again.people);
}

describe('ground truth equals a recount of the file', () => {
  it('CSV, full columns, comma delimiter, broken values, duplicates and malformed rows', async () => {
    const { truth, bytes } = await generate('full.csv', { ...HARSH, format: 'csv', columns: 'full', delimiter: ',', malformedShare: 0.03, seed: 3 });
    const { rows, malformed, header } = parseCsv(bytes.toString('utf8'), ',');
    expect(header).toEqual(truth.columns.map((c) => c.name));
    expectMatches(truth, rows, malformed);
    expect(truth.malformed).toBeGreaterThan(10);
    expect(truth.rows + truth.malformed).toBe(1000);
    expect(truth.duplicates).toBeGreaterThan(150);
    expect(truth.people).toBeLessThan(truth.rows);
    // Every person has a unique password hash: distinct hashes are the persons written.
    expect(truth.persons).toBe(truth.dataClasses['Passwords']!.distinct);
    expect(truth.people).toBeGreaterThan(truth.persons);
    for (const cls of ['Social security numbers', 'Email addresses', 'Phone numbers', 'Dates of birth', 'Bank account numbers'])
      expect(truth.dataClasses[cls]!.invalid, cls).toBeGreaterThan(50);
    // Comments embed e-mails and phones: more valid values than rows carry in their own columns.
    const emailCells = rows.filter((r) => r.get('email')).length;
    expect(truth.dataClasses['Email addresses']!.valid + truth.dataClasses['Email addresses']!.invalid).toBeGreaterThan(emailCells);
  });

  it('CSV, ANTS columns, Excel-like ; + Windows-1252', async () => {
    const { truth, bytes } = await generate('ants.csv', { ...HARSH, format: 'csv', columns: 'ants', encoding: 'windows-1252', seed: 4 });
    const { rows, malformed, header } = parseCsv(iconv.decode(bytes, 'windows-1252'), ';');
    expect(header).toEqual(['id_compte', 'civilite', 'nom', 'prenom', 'courriel', 'tel_portable', 'date_de_naissance', 'adresse_postale', 'cp', 'ville']);
    expectMatches(truth, rows, malformed);
    expect(Object.keys(truth.dataClasses).sort()).toEqual(
      ['Account identifiers', 'Dates of birth', 'Email addresses', 'Genders', 'Names', 'Phone numbers', 'Physical addresses'].sort(),
    );
    expect(truth.dataClasses['Genders']!.distinct).toBe(2);
  });

  it('NDJSON with broken lines', async () => {
    const { truth, bytes } = await generate('std.ndjson', { ...HARSH, format: 'ndjson', malformedShare: 0.05, seed: 5 });
    const { rows, malformed } = parseNdjson(bytes.toString('utf8'));
    expect(malformed).toBeGreaterThan(20);
    expect([...rows[0]!.keys()]).toEqual(truth.columns.map((c) => c.name));
    expectMatches(truth, rows, malformed);
  });

  it('JSON array with nested contact and adresse objects', async () => {
    const { truth, bytes } = await generate('full.json', { ...HARSH, format: 'json', columns: 'full', seed: 6 });
    const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>[];
    expect(parsed[0]).toMatchObject({ contact: { telephones: [expect.any(String)] }, adresse: { code_postal: expect.any(String) } });
    const rows = parsed.map((o) => flatten(o));
    expect(truth.columns.map((c) => c.name)).toContain('contact.telephones[0]');
    expectMatches(truth, rows, 0);
  });

  it('MySQL INSERT script', async () => {
    const { truth, bytes } = await generate('full.sql', { ...HARSH, format: 'sql-inserts', columns: 'full', seed: 7 });
    const { rows, header } = parseMysqlInserts(bytes.toString('utf8'));
    expect(header).toEqual(truth.columns.map((c) => c.name));
    expectMatches(truth, rows, 0);
  });

  it('writes the same records for the same seed whatever the format', async () => {
    const a = await generate('same.csv', { rows: 300, format: 'csv', seed: 8, delimiter: '|' });
    const b = await generate('same.ndjson', { rows: 300, format: 'ndjson', seed: 8 });
    const values = (rows: Row[], columns: GroundTruth['columns']) => rows.map((r) => columns.map((c) => r.get(c.name) ?? ''));
    const csvRows = values(parseCsv(a.bytes.toString('utf8'), '|').rows, a.truth.columns);
    expect(csvRows).toHaveLength(300);
    expect(values(parseNdjson(b.bytes.toString('utf8')).rows, b.truth.columns)).toEqual(csvRows);
    expect(a.truth.dataClasses).toEqual(b.truth.dataClasses);
  });
});
