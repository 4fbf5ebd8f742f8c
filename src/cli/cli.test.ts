/**
 * `vigie gen` (the generator behind every other CLI test), and what every command shares:
 * help, version, unknown commands, configuration errors, exit codes (docs/errors.md).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import type { ImpactReport } from '../report/index.js';
import { cliEnv, expectCleanError, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('gen');
afterAll(tmp.cleanup);
const env = cliEnv(join(tmp.dir, 'data'));
const at = (name: string): string => join(tmp.dir, name);

describe('vigie gen', () => {
  it('writes the file and <out>.truth.json, the same bytes as writeDataset, and ingest agrees', async () => {
    const out = at('sortie/comptes.ndjson');
    const args = ['--rows', '800', '--format', 'ndjson', '--seed', '7', '--columns', 'ants', '--malformed-share', '0.02', '--invalid-share', '0.05'];
    const r = await runCli(['gen', '--out', out, ...args, '--duplicate-share', '0.1'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const truth = JSON.parse(readFileSync(`${out}.truth.json`, 'utf8')) as GroundTruth;
    expect(r.stderr).toBe(`wrote ${truth.rows} records (${truth.malformed} malformed) for ${truth.people} people to ${out}\n`);
    expect(truth.rows + truth.malformed).toBe(800);
    expect(truth.malformed).toBeGreaterThan(0);
    // Every flag reached the generator: the same options through the API give the same bytes.
    const direct = at('direct.ndjson');
    const expected = await writeDataset({
      out: direct,
      rows: 800,
      format: 'ndjson',
      seed: 7,
      columns: 'ants',
      malformedShare: 0.02,
      invalidShare: 0.05,
      duplicateShare: 0.1,
    });
    expect(readFileSync(out).equals(readFileSync(direct))).toBe(true);
    expect(truth).toEqual(expected);
    const ing = await runCli(['ingest', out, '--breach', 'Gen', '--dry-run', '--json', '--workers', '0'], env);
    expect(ing.code, ing.stderr).toBe(0);
    const report = JSON.parse(ing.stdout) as ImpactReport;
    expect([report.records, report.skipped, report.people]).toEqual([truth.rows, truth.malformed, truth.people]);
  });

  it('--gzip, tab delimiter, UTF-16 and no header', async () => {
    const out = at('export.tsv.gz');
    const r = await runCli(['gen', '--out', out, '--rows', '200', '--seed', '3', '--delimiter', 'tab', '--encoding', 'utf16le', '--no-header', '--gzip'], env);
    expect(r.code, r.stderr).toBe(0);
    const text = gunzipSync(readFileSync(out));
    expect([...text.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const lines = text
      .subarray(2)
      .toString('utf16le')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(200);
    expect(lines[0]!.split('\t')).toHaveLength(9);
    expect(lines[0]).not.toMatch(/^nom\t/);
  });

  const bad: [string, string[], string | RegExp][] = [
    ['negative rows', ['--rows', '-5'], '--rows'],
    ['fractional rows', ['--rows', '1.5'], '--rows'],
    ['empty rows', ['--rows', ''], '--rows'],
    ['too many rows', ['--rows', '60000000'], '--rows'],
    ['an unknown format', ['--format', 'xml'], '--format'],
    ['an unknown encoding', ['--encoding', 'latin9'], '--encoding'],
    ['an unknown delimiter', ['--delimiter', ':'], '--delimiter'],
    ['a prototype key as delimiter', ['--delimiter', 'constructor'], '--delimiter'],
    ['an unknown column preset', ['--columns', 'tout'], '--columns'],
    ['a share over 1', ['--invalid-share', '2'], '--invalid-share'],
    ['a negative share', ['--malformed-share', '-0.1'], '--malformed-share'],
    ['only duplicates', ['--duplicate-share', '1'], '--duplicate-share'],
    ['malformed records in a JSON array', ['--format', 'json', '--malformed-share', '0.1'], '--malformed-share'],
    ['a UTF-16 SQL script', ['--format', 'sql-inserts', '--encoding', 'utf16le'], /UTF-16/],
    ['a seed that is no integer', ['--seed', 'x'], '--seed'],
  ];
  for (const [what, flags, mention] of bad) {
    it(`refuses ${what}: usage exit code, one line, no file`, async () => {
      const out = at(`refus-${what.replace(/\W+/g, '-')}.csv`);
      expectCleanError(await runCli(['gen', '--out', out, '--rows', '10', ...flags], env), { code: 'VIGIE_USAGE', mentions: [mention] });
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.truth.json`)).toBe(false);
    });
  }

  it('refuses a missing --out, and an output path it cannot write', async () => {
    expectCleanError(await runCli(['gen', '--rows', '10'], env), { code: 'VIGIE_USAGE', mentions: ['--out'] });
    writeFileSync(at('fichier'), 'x');
    const out = at('fichier/dessous.csv');
    expectCleanError(await runCli(['gen', '--out', out, '--rows', '10'], env), { code: 'VIGIE_USAGE', mentions: [at('fichier'), /ENOTDIR|EEXIST/] });
  });
});

describe('vigie, every command', () => {
  it('--version and --help exit 0 on stdout', async () => {
    expect(await runCli(['--version'], env)).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    for (const cmd of ['ingest', 'gen', 'init', 'check', 'breach']) expect(help.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    const sub = await runCli(['ingest', '--help'], env);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--max-skipped');
  });

  it('an unknown command or no command is a usage error', async () => {
    expectCleanError(await runCli(['frobnicate'], env), { code: 'VIGIE_USAGE', mentions: ["'frobnicate'"] });
    const none = await runCli([], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: vigie');
  });

  it('invalid configuration: VIGIE_CONFIG exit code, one line', async () => {
    const file = at('direct.ndjson');
    for (const bad of [{ VIGIE_WORKERS: 'beaucoup' }, { VIGIE_STORE: 'mysql://localhost/vigie' }]) {
      const r = await runCli(['ingest', file, '--breach', 'Conf', '--dry-run'], { ...env, ...bad });
      expectCleanError(r, { code: 'VIGIE_CONFIG', mentions: [Object.keys(bad)[0] === 'VIGIE_WORKERS' ? 'VIGIE_WORKERS' : 'store'] });
    }
  });
});
