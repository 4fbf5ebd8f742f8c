/**
 * The bad-input contract (docs/architecture.md §5.3, docs/errors.md): a file Vigie cannot read
 * fails with the catalogue's exit code and ONE line on stderr naming the file, the position
 * and the cause, with no stack trace and no value from the input; a malformed record is
 * counted and skipped; past `--max-skipped` the ingest fails and publishes nothing.
 * Every hostile file is built from generated people, so the leak checks have real values.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import { makeZip } from '../read/archive/test-helpers/zip.js';
import type { ImpactReport } from '../report/index.js';
import { identifiersIn, identifiersInFile, type Identifiers } from './test-helpers/leaked.js';
import { binaryWith, tarWith, xmlExport } from './test-helpers/hostile.js';
import { cliEnv, expectCleanError, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('bad');
afterAll(tmp.cleanup);
const dataDir = join(tmp.dir, 'data');
const env = cliEnv(dataDir);
const at = (name: string): string => join(tmp.dir, name);
/** A dry run, inline: what every reading case needs. */
const dry = (file: string, ...more: string[]): string[] => ['ingest', file, '--breach', 'Fuite', '--dry-run', '--workers', '0', ...more];

let base: { file: string; text: string; truth: GroundTruth; ids: Identifiers };

beforeAll(async () => {
  const file = at('clients.csv');
  const truth = await writeDataset({ out: file, rows: 2000, seed: 31, format: 'csv', columns: 'standard' });
  const text = readFileSync(file, 'utf8');
  base = { file, text, truth, ids: identifiersIn(text) };
  expect(base.ids.emails.length).toBeGreaterThan(1500);
  expect(base.ids.phones.length).toBeGreaterThan(1500);
  expect(base.ids.nirs.length).toBeGreaterThan(1500);
});

describe('unreadable files: one line, the catalogue exit code, no value', () => {
  it('an empty file', async () => {
    writeFileSync(at('vide.csv'), '');
    expectCleanError(await runCli(dry(at('vide.csv')), env), { code: 'VIGIE_EMPTY_FILE', mentions: [at('vide.csv'), 'empty'] });
  });

  it('binary garbage holding real-looking identifiers', async () => {
    const file = at('memoire.bin');
    writeFileSync(file, binaryWith(base.text.slice(0, 20_000), 41));
    const ids = identifiersInFile(file);
    expect(ids.emails.length).toBeGreaterThan(50);
    expectCleanError(await runCli(dry(file), env), { code: 'VIGIE_BAD_FORMAT', mentions: [file, 'binary'], leaked: ids.all });
  });

  it('a gzip cut in the middle: truncated, at a byte offset', async () => {
    const gz = gzipSync(readFileSync(base.file));
    const file = at('clients.csv.gz');
    writeFileSync(file, gz.subarray(0, gz.length >> 1));
    expectCleanError(await runCli(dry(file), env), { code: 'VIGIE_TRUNCATED', mentions: [file, /, byte \d+: /], leaked: base.ids.all });
  });

  it('formats Vigie does not read: an HTML page (an XML export of the same rows is read)', async () => {
    const xml = at('clients.xml');
    writeFileSync(xml, xmlExport(base.text, 300));
    const read = await runCli(dry(xml), env);
    expect(read.code, read.stderr).toBe(0);
    const html = at('clients.html');
    writeFileSync(html, `<!DOCTYPE html>\n<html lang="fr"><body>\n${xmlExport(base.text, 300).replace(/^<\?xml[^>]*>\n/, '')}</body></html>\n`);
    const ids = identifiersInFile(html);
    expect(ids.emails.length).toBeGreaterThan(100);
    expectCleanError(await runCli(dry(html), env), { code: 'VIGIE_BAD_FORMAT', mentions: [html, 'HTML page with no table'], leaked: ids.all });
  });

  it('a tar archive whose second header is corrupt: the rows before it, then bad format at its byte offset', async () => {
    const first = tarWith('clients.csv', readFileSync(base.file));
    const second = tarWith('autres.csv', readFileSync(base.file));
    const at2 = first.length - 1024; // the first archive's end blocks are dropped
    second.writeUInt8((second[0] ?? 0) ^ 0x20, 0); // the name changes, the checksum no longer matches
    const file = at('clients.tar');
    writeFileSync(file, Buffer.concat([first.subarray(0, at2), second]));
    expectCleanError(await runCli(dry(file), env), { code: 'VIGIE_BAD_FORMAT', mentions: [file, `byte ${at2}`, 'checksum'], leaked: base.ids.all });
  });

  it('a JSON array with a syntax error in the middle: the line is named', async () => {
    const file = at('clients.json');
    await writeDataset({ out: file, rows: 500, seed: 32, format: 'json', columns: 'standard' });
    const lines = readFileSync(file, 'utf8').split('\n');
    // Line 1 is `[`: line 251 holds record 250. Dropping the colon after "email" breaks it.
    expect(lines[250]).toContain('"email":"');
    lines[250] = lines[250]!.replace('"email":"', '"email" "');
    writeFileSync(file, lines.join('\n'));
    const ids = identifiersInFile(file);
    expectCleanError(await runCli(dry(file), env), { code: 'VIGIE_SYNTAX', mentions: [file, 'line 251'], leaked: ids.all });
  });

  it('a missing file', async () => {
    expectCleanError(await runCli(dry(at('absent.csv')), env), { code: 'VIGIE_FILE_NOT_FOUND', mentions: [at('absent.csv')] });
  });

  it('a directory given as a file', async () => {
    await mkdir(at('dossier.csv'));
    const r = await runCli(dry(at('dossier.csv')), env);
    expect(r.code).not.toBe(0);
    expectCleanError(r, { code: 'VIGIE_FILE_NOT_FOUND', mentions: [at('dossier.csv')] });
  });
});

describe('malformed records: counted and skipped, fatal only past the limit', () => {
  it('a CSV with an unclosed quote in the middle: one skip with its line, the rest read', async () => {
    const file = at('guillemet.csv');
    const lines = base.text.split('\n');
    // Line 1001 (record 1001 counting the header, as read/delimited/ numbers them): `"Dupont;...` never closed.
    lines[1000] = `"${lines[1000]!}`;
    writeFileSync(file, lines.join('\n'));
    const r = await runCli(dry(file, '--json'), env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ImpactReport;
    expect(report.records).toBe(base.truth.rows - 1);
    expect(report.skipped).toBe(1);
    expect(report.skippedReasons).toEqual({ 'unclosed quote': { count: 1, first: [`${file}, line 1001, record 1001`] } });
    const leaked = base.ids.all.filter((v) => r.stdout.includes(v) || r.stderr.includes(v));
    expect(leaked).toEqual([]);
  });

  it('past --max-skipped 5: VIGIE_TOO_MANY_SKIPPED, and nothing is published', async () => {
    const file = at('casse.ndjson');
    const truth = await writeDataset({ out: file, rows: 1000, seed: 33, format: 'ndjson', columns: 'ants', malformedShare: 0.1 });
    expect(truth.malformed).toBeGreaterThan(50);
    const ids = identifiersInFile(file);
    const r = await runCli(['ingest', file, '--breach', 'Casse', '--max-skipped', '5', '--workers', '0'], env);
    const line = expectCleanError(r, {
      code: 'VIGIE_TOO_MANY_SKIPPED',
      mentions: [file, /, line \d+, /, '6 skipped', 'nothing was published'],
      leaked: ids.all,
    });
    expect(line).toContain('limit 5');
    const list = await runCli(['breach', 'list', '--all', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expectCleanError(await runCli(['breach', 'show', 'Casse'], env), { code: 'VIGIE_NOT_FOUND', mentions: ['Casse'] });
    // The same file under the default limit (5 %) fails too: about 10 % of its records are broken.
    expectCleanError(await runCli(dry(file), env), { code: 'VIGIE_TOO_MANY_SKIPPED', mentions: [file, '5 %'], leaked: ids.all });
  });
  it('the default 5 % applies from the first record: 150 rows, 75 malformed, fails and publishes nothing', async () => {
    const file = at('moitie.csv');
    const truth = await writeDataset({ out: file, rows: 150, seed: 5, format: 'csv', malformedShare: 75 / 130 });
    expect(truth.malformed).toBe(75);
    const ids = identifiersInFile(file);
    const r = await runCli(['ingest', file, '--breach', 'Moitie', '--workers', '0'], env);
    expectCleanError(r, { code: 'VIGIE_TOO_MANY_SKIPPED', mentions: [file, '11 skipped', '5 %', 'at least 10', 'nothing was published'], leaked: ids.all });
    const list = await runCli(['breach', 'list', '--all', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

describe('a failed ingest publishes nothing (invariant 2)', () => {
  it('a truncated gzip read on a worker thread: the error, then an empty catalogue', async () => {
    const gz = gzipSync(readFileSync(base.file));
    const file = at('coupe.csv.gz');
    // Cut late, so that many records reach the workers and the store before the error.
    writeFileSync(file, gz.subarray(0, gz.length - 200));
    const failDir = at('fail-data');
    const r = await runCli(['ingest', file, '--breach', 'Coupe', '--workers', '1'], cliEnv(failDir));
    expectCleanError(r, { code: 'VIGIE_TRUNCATED', mentions: [file, /, byte \d+: /], leaked: base.ids.all });
    const list = await runCli(['breach', 'list', '--all', '--json'], cliEnv(failDir));
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

describe('a zip with a `../evil.csv` entry (zip slip)', () => {
  it('skips the entry with its reason, reads the others, writes nothing outside', async () => {
    const evilSource = at('evil-source.csv');
    await writeDataset({ out: evilSource, rows: 50, seed: 34, format: 'csv' });
    const inbox = at('inbox');
    await mkdir(inbox);
    const zip = join(inbox, 'fuite.zip');
    writeFileSync(
      zip,
      await makeZip([
        { name: '../evil.csv', data: readFileSync(evilSource) },
        { name: 'clients.csv', data: readFileSync(base.file) },
      ]),
    );
    const zipDir = at('zip-data');
    const r = await runCli(['ingest', zip, '--breach', 'Zip', '--json', '--workers', '0'], cliEnv(zipDir));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ImpactReport;
    expect(report.records).toBe(base.truth.rows);
    expect(report.people).toBe(base.truth.people);
    expect(report.skippedReasons).toEqual({ 'unsafe entry name': { count: 1, first: [`${zip}:../evil.csv`] } });
    expect(report.tables.map((t) => t.name)).toEqual([`${zip}:clients.csv`]);
    expect(report.published?.changed).toBe(true);
    // Nothing was extracted, next to the zip or one level up, nor into the data directory.
    expect(existsSync(at('evil.csv'))).toBe(false);
    expect(readdirSync(inbox)).toEqual(['fuite.zip']);
    expect(readdirSync(zipDir).filter((f) => !/^vigie\.db(-wal|-shm|-journal)?$/.test(f))).toEqual([]);
  });

  it('a zip holding only the unsafe entry: reported, no table read', async () => {
    const zip = at('seul.zip');
    writeFileSync(zip, await makeZip([{ name: '../evil.csv', data: readFileSync(base.file) }]));
    const r = await runCli(dry(zip, '--json'), env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ImpactReport;
    expect(report.records).toBe(0);
    expect(report.tables).toEqual([]);
    expect(report.skippedReasons).toEqual({ 'unsafe entry name': { count: 1, first: [`${zip}:../evil.csv`] } });
  });
});

describe('invalid flags: usage exit code 2, checked before the store is opened', () => {
  const cases: [string, string[], string][] = [
    ['an impossible date', ['--date', '2024-02-30'], '--date'],
    ['a breach name with a space and "!"', ['--breach', 'bad name!'], '--breach'],
    ['a non-numeric skip limit', ['--max-skipped', 'abc'], '--max-skipped'],
    ['a share over 100 %', ['--max-skipped', '150%'], '--max-skipped'],
    ['a negative worker count', ['--workers', '-1'], '--workers'],
    ['an empty worker count', ['--workers', ''], '--workers'],
    ['a memory size without a number', ['--memory', 'lots'], '--memory'],
    ['a memory size with an unknown unit', ['--memory', '512X'], '--memory'],
    ['a memory size under 1M', ['--memory', '100K'], '--memory'],
    ['an unknown option', ['--colour'], "'--colour'"],
  ];
  for (const [what, flags, flag] of cases) {
    it(what, async () => {
      // Not a dry run: a usage error must come before the key and the store are touched.
      const fresh = at(`usage-${flag.replace(/\W/g, '')}-${flags.length}-${what.length}`);
      const r = await runCli(['ingest', base.file, '--breach', 'Fuite', ...flags], cliEnv(fresh, { key: false }));
      // Flag errors are about the command line, not the file: the line names the flag instead.
      expectCleanError(r, { code: 'VIGIE_USAGE', mentions: [flag] });
      expect(existsSync(fresh)).toBe(false);
    });
  }

  it('a missing --breach', async () => {
    expectCleanError(await runCli(['ingest', base.file, '--dry-run'], env), { code: 'VIGIE_USAGE', mentions: ['--breach'] });
  });

  it('no key: VIGIE_KEY exit code, one line', async () => {
    const r = await runCli(['ingest', base.file, '--breach', 'Fuite', '--workers', '0'], cliEnv(at('no-key'), { key: false }));
    expectCleanError(r, { code: 'VIGIE_KEY', mentions: ['key'], leaked: base.ids.all });
  });
});
