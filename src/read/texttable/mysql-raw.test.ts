/**
 * `mysql -B -r` (batch, raw): values between tabs, nothing escaped (a line break in a value is
 * printed as it is), NULL as the word `NULL`. The generator's people are loaded into MariaDB and
 * printed by the real client; records and per-class counts must equal the ground truth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GroundTruth } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, MYSQL, peopleInMariaDb } from '../../test-helpers/people.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-mysql-raw-'));
const db = `vigie_mysql_raw_${process.pid}`;
let truth: GroundTruth;

beforeAll(async () => {
  truth = await peopleInMariaDb(db, dir, 600, 83);
}, 60_000);

afterAll(() => {
  try {
    execFileSync('mysql', [...MYSQL, '-e', `DROP DATABASE IF EXISTS ${db}`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('mysql -B -r: NULL is null, line breaks in values joined; the people equal the ground truth', async () => {
  const out = execFileSync('mysql', [...MYSQL, '-B', '-r', db, '-e', 'SELECT * FROM personnes'], { maxBuffer: 1 << 26 });
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
  expectClassesOf(r, truth);
});
