/**
 * `mysql -B -r` (batch, raw): values between tabs, nothing escaped (a line break in a value is
 * printed as it is), NULL as the word `NULL`. The generator's people are loaded into MariaDB and
 * printed by the real client; records and per-class counts must equal the ground truth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { mysqlArgs } from '../../test-helpers/services.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-mysql-raw-'));
const db = `vigie_mysql_raw_${process.pid}`;
const MY = [...mysqlArgs(), '--default-character-set=utf8mb4'];
let truth: GroundTruth;

beforeAll(async () => {
  const script = join(dir, 'people.sql');
  truth = await writeDataset({ out: script, rows: 600, seed: 83, format: 'sql-inserts', columns: 'full' });
  execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4`]);
  execFileSync('mysql', [...MY, db], { input: readFileSync(script) });
}, 60_000);

afterAll(() => {
  try {
    execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${db}`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('mysql -B -r: NULL is null, line breaks in values joined; the people equal the ground truth', async () => {
  const out = execFileSync('mysql', [...MY, '-B', '-r', db, '-e', 'SELECT * FROM personnes'], { maxBuffer: 1 << 26 });
  // The raw output does hold both: unescaped line breaks and NULL words.
  expect(out.toString()).toMatch(/\tNULL\t/);
  expect(out.toString().split('\n').length).toBeGreaterThan(truth.rows + 2);
  const file = join(dir, 'people.tsv');
  writeFileSync(file, out);
  const r = await ingest({ files: [file], breach: { name: 'Brut' }, dryRun: true, workers: 0 });
  expect(r.tables[0]?.meta['dialect']).toBe('mysql -B -r');
  expect(r.skipped).toBe(0);
  expect(r.records).toBe(truth.rows);
  expect(r.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if (t.valid === 0 && t.invalid === 0) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
});
