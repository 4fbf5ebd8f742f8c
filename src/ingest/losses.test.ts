/**
 * No silent loss: every file's records and skips are in the report, and what a file may hide
 * without a record to count it is a warning (`warnings` in the JSON, `WARNING` lines in the
 * text), or an error when a reader can prove records lost.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../gen/index.js';
import { renderImpactText } from '../report/index.js';
import { ingest } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-losses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string) => ingest({ files: [file], breach: { name: 'Pertes' }, dryRun: true, workers: 0 });

describe('every file accounted for', () => {
  it('a clean file: its records in the report, no warning', async () => {
    const file = join(dir, 'propre.csv');
    const truth = await writeDataset({ out: file, rows: 3000, seed: 61, format: 'csv' });
    const r = await run(file);
    expect(r.files).toEqual([expect.objectContaining({ path: file, records: truth.rows, skipped: 0 })]);
    expect(r.warnings).toEqual([]);
    expect(renderImpactText(r)).not.toContain('WARNING');
  });

  it('a quote that runs past the record size limit: one record skipped, the rest read, and a warning', async () => {
    const file = join(dir, 'guillemet.csv');
    const truth = await writeDataset({ out: file, rows: 20000, seed: 62, format: 'csv' });
    const lines = readFileSync(file, 'utf8').split('\n');
    // A stray opening quote in record 50: read as RFC 4180, it would open a field to the end of the file.
    lines[50] = `"${lines[50]}`;
    writeFileSync(file, lines.join('\n'));
    expect(readFileSync(file).length).toBeGreaterThan(2 * 1024 * 1024);
    const r = await run(file);
    expect(r.records).toBe(truth.rows - 1);
    expect(r.files[0]).toEqual(expect.objectContaining({ records: truth.rows - 1, skipped: 1 }));
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'overrun', file })]);
    expect(r.warnings[0]!.message).toContain('unclosed quote: 1');
    expect(renderImpactText(r)).toContain(`WARNING [overrun] ${file}: 1 record(s) skipped`);
  });

  it('an archive whose members need a password (zip -P): the readable ones read, a warning saying what to do', async () => {
    const csv = join(dir, 'clients.csv');
    const truth = await writeDataset({ out: csv, rows: 500, seed: 63, format: 'csv' });
    const secret = join(dir, 'secret.csv');
    writeFileSync(secret, readFileSync(csv));
    const zip = join(dir, 'fuite.zip');
    execFileSync('zip', ['-q', '-j', zip, csv]);
    execFileSync('zip', ['-q', '-j', '-P', 'motdepasse', zip, secret]);
    const r = await run(zip);
    expect(r.records).toBe(truth.rows);
    expect(r.skippedReasons['encrypted entry']).toEqual({ count: 1, first: [`${zip}:secret.csv`] });
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'encrypted', file: zip })]);
    expect(renderImpactText(r)).toContain(`WARNING [encrypted] ${zip}: 1 archive member(s) encrypted, not read: extract them with their password`);
  });

  it('a dump of schema only, hundreds of KiB without a record: a warning, not a quiet empty leak', async () => {
    const file = join(dir, 'schema.sql');
    const columns = Array.from({ length: 40 }, (_, i) => `  \`colonne_${i}\` varchar(255) DEFAULT NULL COMMENT 'champ ${i} du formulaire'`).join(',\n');
    const tables = Array.from(
      { length: 120 },
      (_, t) => `DROP TABLE IF EXISTS \`table_${t}\`;\nCREATE TABLE \`table_${t}\` (\n${columns}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`,
    );
    writeFileSync(file, `-- MySQL dump 10.19  Distrib 10.11.6-MariaDB\n/*!40101 SET NAMES utf8mb4 */;\n${tables.join('\n')}`);
    expect(readFileSync(file).length).toBeGreaterThan(64 * 1024);
    const r = await run(file);
    expect(r.records).toBe(0);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'no-records', file })]);
    expect(renderImpactText(r)).toMatch(/WARNING \[no-records\] .*no record found/);
  });

  it('records that stop long before the file ends: a warning naming where', async () => {
    const file = join(dir, 'procedures.sql');
    const rows = Array.from({ length: 200 }, (_, i) => `(${i + 1},'client${i}@exemple.fr','Martin')`).join(',');
    // Megabytes a reader of data skips by design (stored procedures between DELIMITER lines) after the only records.
    const body = Array.from({ length: 40000 }, (_, i) => `  SET @v${i % 100} = CONCAT(@v${i % 100}, 'ligne ${i} de la procédure');`).join('\n');
    writeFileSync(
      file,
      `-- MySQL dump 10.19\nCREATE TABLE \`clients\` (\`id\` int, \`email\` varchar(255), \`nom\` varchar(255));\n` +
        `INSERT INTO \`clients\` VALUES ${rows};\nDELIMITER ;;\nCREATE PROCEDURE \`purge\`()\nBEGIN\n${body}\nEND ;;\nDELIMITER ;\n`,
    );
    const r = await run(file);
    expect(r.records).toBe(200);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'records-stop', file })]);
    expect(r.warnings[0]!.message).toMatch(/records stop at \d+ % of the file: the last \d+\.\d MiB \(\d+ %\) gave no record/);
  });

  it('a string that swallows the rest of a dump is an error, and nothing is reported as read', async () => {
    const file = join(dir, 'avale.sql');
    const tail = Array.from({ length: 500 }, (_, i) => `INSERT INTO "clients" VALUES(${i + 3},NULL);`).join('\n');
    writeFileSync(
      file,
      `PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE clients(id int, email text);\nINSERT INTO "clients" VALUES(1,'a@exemple.fr');\nINSERT INTO "clients" VALUES(2,'b@exemple.fr);\n${tail}\nCOMMIT;\n`,
    );
    await expect(run(file)).rejects.toMatchObject({ code: 'VIGIE_TRUNCATED' });
  });
});
