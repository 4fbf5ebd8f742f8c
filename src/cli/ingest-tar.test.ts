/**
 * `vigie ingest --dry-run --json` on tar archives, end to end through the CLI: a `.tar.gz`
 * made by GNU tar of generated people (CSV and NDJSON) counts what the files count on their
 * own; a `pg_dump -Ft` archive reports what the plain `pg_dump` of the same schema reports.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../gen/index.js';
import type { ImpactReport } from '../report/index.js';
import { pgArgs } from '../test-helpers/services.js';
import { identifiersInFile } from './test-helpers/leaked.js';
import { cliEnv, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('ingest-tar');
const env = cliEnv(join(tmp.dir, 'data'));
afterAll(tmp.cleanup);

async function dryRun(file: string): Promise<ImpactReport> {
  const r = await runCli(['ingest', file, '--breach', 'Test', '--dry-run', '--json', '--workers', '0'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ImpactReport;
}

describe('vigie ingest --dry-run --json on tar archives', () => {
  it('a .tar.gz of a CSV and an NDJSON file: the counts of both files, a symlink skipped', async () => {
    const root = join(tmp.dir, 'fuite');
    mkdirSync(join(root, 'export'), { recursive: true });
    // The generator writes its ground truth beside each file: the files are made apart, then copied in.
    const a = await writeDataset({ out: join(tmp.dir, 'clients.csv'), rows: 2000, seed: 51, format: 'csv', columns: 'standard' });
    const b = await writeDataset({ out: join(tmp.dir, 'comptes.ndjson'), rows: 1500, seed: 52, format: 'ndjson', columns: 'ants' });
    copyFileSync(join(tmp.dir, 'clients.csv'), join(root, 'export/clients.csv'));
    copyFileSync(join(tmp.dir, 'comptes.ndjson'), join(root, 'export/comptes.ndjson'));
    symlinkSync('clients.csv', join(root, 'export/lien.csv'));
    const tgz = join(tmp.dir, 'fuite.tgz');
    execFileSync('tar', ['-C', root, '-czf', tgz, 'export']);
    const report = await dryRun(tgz);
    expect(report.records).toBe(a.rows + b.rows);
    expect(report.tables.map((t) => [t.name, t.records]).sort()).toEqual(
      [
        [`${tgz}:export/clients.csv`, a.rows],
        [`${tgz}:export/comptes.ndjson`, b.rows],
      ].sort(),
    );
    for (const cls of new Set([...Object.keys(a.dataClasses), ...Object.keys(b.dataClasses)])) {
      const valid = (a.dataClasses[cls]?.valid ?? 0) + (b.dataClasses[cls]?.valid ?? 0);
      const invalid = (a.dataClasses[cls]?.invalid ?? 0) + (b.dataClasses[cls]?.invalid ?? 0);
      if (valid + invalid === 0) continue;
      expect(report.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid, invalid }));
    }
    expect(report.skippedReasons['symbolic link']?.count).toBe(1);
    expect(report.skippedReasons['symbolic link']?.first[0]).toContain(`${tgz}:export/lien.csv`);
    // Counts only: no identifier of the files appears in the report.
    const out = JSON.stringify(report);
    for (const f of ['export/clients.csv', 'export/comptes.ndjson']) {
      for (const email of identifiersInFile(join(root, f)).emails.slice(0, 200)) expect(out).not.toContain(email);
    }
  });

  it('pg_dump -Ft reports what the plain pg_dump of the same schema reports', async () => {
    const schema = `vigie_ingest_tar_${process.pid}`;
    const PG = [...pgArgs(), '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
    const script = join(tmp.dir, 'people.sql');
    const truth = await writeDataset({ out: script, rows: 3000, seed: 53, format: 'sql-inserts', columns: 'ants', sqlDialect: 'postgres' });
    execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`, '-c', `CREATE SCHEMA ${schema}`]);
    try {
      execFileSync('psql', PG, { input: Buffer.concat([Buffer.from(`SET search_path TO ${schema};\n`), readFileSync(script)]) });
      const dump = (file: string, ...extra: string[]): string => {
        const path = join(tmp.dir, file);
        writeFileSync(path, execFileSync('pg_dump', [...pgArgs(), `--schema=${schema}`, ...extra], { maxBuffer: 1 << 28 }));
        return path;
      };
      const plain = await dryRun(dump('base.sql'));
      const tar = await dryRun(dump('base.tar', '-Ft'));
      expect(plain.records).toBe(truth.rows);
      for (const key of ['records', 'skipped', 'people', 'dataClasses', 'skippedReasons'] as const) expect(tar[key], key).toEqual(plain[key]);
      const strip = (r: ImpactReport, file: string) => r.tables.map((t) => ({ ...t, name: t.name.replace(file, ''), meta: {} }));
      expect(strip(tar, join(tmp.dir, 'base.tar'))).toEqual(strip(plain, join(tmp.dir, 'base.sql')));
    } finally {
      execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
    }
  });
});
