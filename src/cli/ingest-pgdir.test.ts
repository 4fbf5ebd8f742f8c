/**
 * `vigie ingest DIR` on `pg_dump -Fd` directories, end to end through the CLI: the dry run's
 * report is that of the plain `pg_dump` of the same schema; publishing the same directory twice
 * says "nothing new" the second time, and a directory whose data differs is a new file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../gen/index.js';
import type { ImpactReport } from '../report/index.js';
import { pgArgs } from '../test-helpers/services.js';
import { cliEnv, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('ingest-pgdir');
const env = cliEnv(join(tmp.dir, 'data'));
const schema = `vigie_ingest_pgdir_${process.pid}`;
const PG = [...pgArgs(), '-X', '-q', '-v', 'ON_ERROR_STOP=1'];

function json(r: { code: number; stdout: string; stderr: string }): ImpactReport {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ImpactReport;
}

function dump(file: string, ...extra: string[]): string {
  const path = join(tmp.dir, file);
  execFileSync('pg_dump', [...pgArgs(), `--schema=${schema}`, ...extra, '-f', path], { maxBuffer: 1 << 28 });
  return path;
}

let rows = 0;
beforeAll(async () => {
  const script = join(tmp.dir, 'people.sql');
  rows = (await writeDataset({ out: script, rows: 1500, seed: 57, format: 'sql-inserts', columns: 'ants', sqlDialect: 'postgres' })).rows;
  execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`, '-c', `CREATE SCHEMA ${schema}`]);
  execFileSync('psql', PG, { input: Buffer.concat([Buffer.from(`SET search_path TO ${schema};\n`), readFileSync(script)]) });
});

afterAll(() => {
  execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
  tmp.cleanup();
});

describe('vigie ingest on a pg_dump -Fd directory', () => {
  it('--dry-run --json reports what the plain pg_dump of the same schema reports', async () => {
    const dry = (f: string) => runCli(['ingest', f, '--breach', 'Test', '--dry-run', '--json', '--workers', '0'], env);
    const plainPath = dump('base.sql');
    const dirPath = dump('base.d', '-Fd', '-j', '2');
    const plain = json(await dry(plainPath));
    const dir = json(await dry(dirPath));
    expect(plain.records).toBe(rows);
    for (const key of ['records', 'skipped', 'people', 'dataClasses', 'skippedReasons'] as const) expect(dir[key], key).toEqual(plain[key]);
    const strip = (r: ImpactReport, file: string) => r.tables.map((t) => ({ ...t, name: t.name.replace(file, ''), meta: {} }));
    expect(strip(dir, dirPath)).toEqual(strip(plain, plainPath));
    expect(dir.tables.map((t) => t.name)).toEqual([`${dirPath}:${schema}.personnes`]);
  });

  it('the same directory twice: the second run says nothing new; one whose data differs is new', async () => {
    const d = dump('publie.d', '-Fd', '-Z0');
    const args = (f: string) => ['ingest', f, '--breach', 'Pgdir', '--workers', '0'];
    const first = json(await runCli([...args(d), '--json'], env));
    expect(first.published).toEqual(expect.objectContaining({ changed: true, alreadyIngested: 0 }));
    const again = await runCli(args(d), env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Leak Pgdir: nothing new[^\n]*\n$/);
    // A copy with one row fewer in its data file: another file, read and published.
    const edited = join(tmp.dir, 'modifie.d');
    cpSync(d, edited, { recursive: true });
    const data = readdirSync(edited).find((f) => /^\d+\.dat$/.test(f) && readFileSync(join(edited, f)).length > 100) ?? '';
    const lines = readFileSync(join(edited, data), 'utf8').split('\n');
    writeFileSync(join(edited, data), [...lines.slice(0, 10), ...lines.slice(11)].join('\n'));
    const third = json(await runCli([...args(edited), '--append', '--json'], env));
    expect(third.published).toEqual(expect.objectContaining({ alreadyIngested: 0 }));
    expect(third.records).toBe(rows - 1);
  });
});
