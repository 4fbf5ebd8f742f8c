/**
 * End to end through the real database tools: the generator's people are loaded into the
 * MariaDB and PostgreSQL servers of the tests (`test-helpers/services.ts`), dumped with `mysqldump` and `pg_dump`, and
 * the dumps ingested; counts must equal the generator's ground truth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import { mysqlArgs, pgArgs } from '../test-helpers/services.js';
import { ingest } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-dumps-'));
const db = `vigie_dumps_${process.pid}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The servers come from the environment: see `test-helpers/services.ts`. */
const MY = [...mysqlArgs(), '--default-character-set=utf8mb4'];
const PG = [...pgArgs(), '-X', '-q', '-v', 'ON_ERROR_STOP=1'];

async function expectTruth(file: string, truth: GroundTruth): Promise<void> {
  const r = await ingest({ files: [file], breach: { name: 'Dump' }, dryRun: true, workers: 2 });
  expect(r.records).toBe(truth.rows);
  expect(r.skipped).toBe(0);
  expect(r.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if (t.valid === 0 && t.invalid === 0) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
}

describe('dumps made by the real tools', () => {
  it('mysqldump of generated people (extended inserts)', async () => {
    const script = join(dir, 'people.mysql.sql');
    const truth = await writeDataset({ out: script, rows: 3000, seed: 31, format: 'sql-inserts', columns: 'full' });
    execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4`]);
    try {
      execFileSync('mysql', [...MY, db], { input: readFileSync(script) });
      const dump = join(dir, 'dump.sql');
      writeFileSync(dump, execFileSync('mysqldump', [...MY, db], { maxBuffer: 1 << 28 }));
      expect(readFileSync(dump, 'utf8')).toMatch(/INSERT INTO `personnes` VALUES\s*\(/);
      await expectTruth(dump, truth);
    } finally {
      execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${db}`]);
    }
  });

  it('pg_dump of generated people, COPY and --inserts forms', async () => {
    const script = join(dir, 'people.pg.sql');
    const truth = await writeDataset({ out: script, rows: 3000, seed: 32, format: 'sql-inserts', columns: 'ants', sqlDialect: 'postgres' });
    execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${db} CASCADE`, '-c', `CREATE SCHEMA ${db}`]);
    try {
      execFileSync('psql', PG, { input: Buffer.concat([Buffer.from(`SET search_path TO ${db};\n`), readFileSync(script)]) });
      for (const extra of [[], ['--inserts']]) {
        const dump = join(dir, `pg${extra.join('')}.sql`);
        writeFileSync(dump, execFileSync('pg_dump', [...pgArgs(), `--schema=${db}`, ...extra], { maxBuffer: 1 << 28 }));
        expect(readFileSync(dump, 'utf8')).toMatch(extra.length ? /INSERT INTO / : /COPY /);
        await expectTruth(dump, truth);
      }
    } finally {
      execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${db} CASCADE`]);
    }
  });
});
