/**
 * Test support: the generator's people loaded into the test servers by their own clients, and
 * a report checked against their ground truth. Imported by tests only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import type { ingest } from '../ingest/index.js';
import { MYSQL_URL, mysqlArgs, pgArgs } from './services.js';

/** `mysql` with the test server's options and utf8mb4. */
export const MYSQL = [...mysqlArgs(), '--default-character-set=utf8mb4'];
/** `psql` with the test server's options, quiet, stopping at the first error. */
export const PSQL = [...pgArgs(), '-X', '-q', '-v', 'ON_ERROR_STOP=1'];

/** The test MariaDB server as host, port, user and password, for clients other than `mysql` (PHP's mysqli). */
export function mysqlLogin(): [string, string, string, string] {
  const u = new URL(MYSQL_URL);
  return [u.hostname || '127.0.0.1', u.port || '3306', decodeURIComponent(u.username || 'root'), decodeURIComponent(u.password)];
}

/** `rows` generated people (columns `full`) as table `personnes` of a MariaDB database `db` made afresh; their ground truth. */
export async function peopleInMariaDb(db: string, dir: string, rows: number, seed: number): Promise<GroundTruth> {
  const script = join(dir, 'people.mysql.sql');
  const truth = await writeDataset({ out: script, rows, seed, format: 'sql-inserts', columns: 'full' });
  execFileSync('mysql', [...MYSQL, '-e', `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4`]);
  execFileSync('mysql', [...MYSQL, db], { input: readFileSync(script) });
  return truth;
}

/** The same in a PostgreSQL schema `schema` made afresh. */
export async function peopleInPostgres(schema: string, dir: string, rows: number, seed: number): Promise<GroundTruth> {
  const script = join(dir, 'people.pg.sql');
  const truth = await writeDataset({ out: script, rows, seed, format: 'sql-inserts', columns: 'full', sqlDialect: 'postgres' });
  execFileSync('psql', [...PSQL, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`, '-c', `CREATE SCHEMA ${schema}`]);
  execFileSync('psql', PSQL, { input: Buffer.concat([Buffer.from(`SET search_path TO ${schema};\n`), readFileSync(script)]) });
  return truth;
}

/** Every class of the ground truth (but `except`) counted in `report` as the generator counted it. */
export function expectClassesOf(report: Awaited<ReturnType<typeof ingest>>, truth: GroundTruth, except: readonly string[] = []): void {
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if ((t.valid === 0 && t.invalid === 0) || except.includes(cls)) continue;
    expect(report.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
}

/** What of a report must not depend on the file's format: counts, classes, columns and what they were recognised as. */
export function reportEssence(r: Awaited<ReturnType<typeof ingest>>): unknown {
  return {
    records: r.records,
    skipped: r.skipped,
    people: r.people,
    dataClasses: r.dataClasses,
    tables: r.tables.map((t) => ({ records: t.records, skipped: t.skipped, columns: t.columns })),
  };
}
