import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieError } from '../errors.js';
import { writeDataset, type GenOptions } from './write.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-gen-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function gen(opts: Omit<GenOptions, 'out'>, name = `f${n++}`): Promise<Buffer> {
  const out = join(dir, name);
  await writeDataset({ ...opts, out });
  return readFile(out);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('writeDataset', () => {
  it('is deterministic: same options and seed, same bytes; another seed, other bytes', async () => {
    const opts = { rows: 2000, format: 'csv', columns: 'full', seed: 99, malformedShare: 0.01 } as const;
    const a = await gen(opts);
    expect(sha(await gen(opts))).toBe(sha(a));
    expect(sha(await gen({ ...opts, seed: 100 }))).not.toBe(sha(a));
    const z = { rows: 500, format: 'ndjson', gzip: true, seed: 5 } as const;
    expect(sha(await gen(z))).toBe(sha(await gen(z)));
  });

  it('writes CSV that papaparse reads back with the expected rows and columns', async () => {
    const text = (await gen({ rows: 1500, format: 'csv', delimiter: ',', columns: 'full', seed: 1 })).toString('utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(1500);
    expect(parsed.meta.fields).toEqual([
      'nom',
      'prenom',
      'email',
      'telephone',
      'date_naissance',
      'adresse',
      'code_postal',
      'ville',
      'nir',
      'iban',
      'siret',
      'employeur',
      'mot_de_passe',
      'commentaire',
    ]);
    // Addresses with commas, employers with quotes and comments with line breaks went through quoting.
    expect(parsed.data.some((r) => r['adresse']!.includes(', '))).toBe(true);
    expect(parsed.data.some((r) => r['employeur']!.includes('"'))).toBe(true);
    expect(parsed.data.some((r) => r['commentaire']!.includes('\n'))).toBe(true);
    expect(text).toContain('"Bât. ');
    expect(text).toMatch(/"[^"\n]*""[^"\n]*""/);
  });

  it('writes every delimiter, and no header when asked', async () => {
    for (const delimiter of [',', ';', '\t', '|'] as const) {
      const text = (await gen({ rows: 200, format: 'csv', delimiter, header: false, seed: 2 })).toString('utf8');
      const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true });
      expect(parsed.data).toHaveLength(200);
      expect(parsed.data.every((r) => r.length === 9)).toBe(true);
      expect(parsed.data[0]![0]).not.toBe('nom');
    }
  });

  it('ends lines with CRLF for the Excel-like ; + Windows-1252 case, LF otherwise', async () => {
    const excel = iconv.decode(await gen({ rows: 300, format: 'csv', encoding: 'windows-1252', seed: 3 }), 'windows-1252');
    expect(excel.split('\r\n')).toHaveLength(302);
    expect(excel.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const plain = (await gen({ rows: 300, format: 'csv', seed: 3 })).toString('utf8');
    expect(plain).not.toContain('\r');
    expect(plain.split('\n')).toHaveLength(302);
    expect(plain).toBe(excel.replace(/\r\n/g, '\n'));
  });

  it('quotes every text field with --quote text, as LibreOffice and export tools do, numbers left bare', async () => {
    const quoted = (await gen({ rows: 200, format: 'csv', columns: 'ants', delimiter: ';', seed: 5, quote: 'text' })).toString('utf8');
    const lines = quoted.split('\n');
    expect(lines[0]).toMatch(/^"id_compte";"civilite";"nom";/);
    const cp = lines[1]!.split(';')[8]!; // the postcode: digits only, so unquoted
    expect(cp).toMatch(/^[0-9]{5}$/);
    expect(lines[1]!.split(';')[2]).toMatch(/^".+"$/);
    const plain = (await gen({ rows: 200, format: 'csv', columns: 'ants', delimiter: ';', seed: 5 })).toString('utf8');
    expect(quoted.replace(/"/g, '')).toBe(plain.replace(/"/g, ''));
  });

  it('round-trips every encoding through iconv-lite to the same text', async () => {
    const base = { rows: 400, format: 'csv', columns: 'full', seed: 4, eol: 'lf' } as const;
    const utf8 = (await gen({ ...base, encoding: 'utf8' })).toString('utf8');
    expect(utf8).toMatch(/[éèàçœ€Œ]/);
    const bom = await gen({ ...base, encoding: 'utf8-bom' });
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(iconv.decode(bom, 'utf8', { stripBOM: true })).toBe(utf8);
    const u16 = await gen({ ...base, encoding: 'utf16le' });
    expect([...u16.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(iconv.decode(u16, 'utf16le', { stripBOM: true })).toBe(utf8);
    const cp = await gen({ ...base, encoding: 'windows-1252' });
    expect(cp.includes(0x80)).toBe(true); // € is 0x80 in Windows-1252
    expect(cp.includes(0x9c)).toBe(true); // œ
    expect(iconv.decode(cp, 'windows-1252')).toBe(utf8);
  });

  it('gzips the same bytes it would write plain', async () => {
    const base = { rows: 700, format: 'json', columns: 'ants', seed: 5 } as const;
    const plain = await gen(base);
    const gz = await gen({ ...base, gzip: true });
    expect([...gz.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(gz).equals(plain)).toBe(true);
    expect(JSON.parse(plain.toString('utf8'))).toHaveLength(700);
  });

  it('writes a PostgreSQL-flavoured script with standard strings and double-quoted names', async () => {
    const sql = (await gen({ rows: 1200, format: 'sql-inserts', sqlDialect: 'postgres', table: 'fuite', columns: 'full', seed: 6 })).toString();
    expect(sql).toContain('CREATE TABLE "fuite" (');
    expect(sql).toContain("SET client_encoding = 'UTF8';");
    expect(sql.match(/^INSERT INTO "fuite" VALUES /gm)).toHaveLength(3);
    expect(sql).not.toContain('\\');
    expect(sql).toMatch(/'[^']*''[^']*'/); // apostrophes doubled (N'Diaye, L'Hermite, de l'Église)
    expect(sql.trimEnd().endsWith(');')).toBe(true);
  });

  it('reports progress up to the row count', async () => {
    const seen: number[] = [];
    await gen({ rows: 3000, format: 'ndjson', seed: 7, onProgress: (r) => seen.push(r) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(3000);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
  });

  it('writes valid empty files for zero rows', async () => {
    expect(JSON.parse((await gen({ rows: 0, format: 'json' })).toString())).toEqual([]);
    expect((await gen({ rows: 0, format: 'csv' })).toString()).toBe('nom;prenom;email;telephone;date_naissance;adresse;code_postal;ville;nir\n');
  });

  it('rejects bad options with a usage error', async () => {
    const out = join(dir, 'never');
    const bad: Partial<GenOptions>[] = [
      { rows: -1 },
      { rows: 1.5 },
      { rows: 60_000_000 },
      { invalidShare: 2 },
      { duplicateShare: 1 },
      { malformedShare: 0.1, format: 'json' },
      { malformedShare: 0.1, format: 'sql-inserts' },
      { format: 'sql-inserts', encoding: 'utf16le' },
      { format: 'sql-inserts', table: 'a; DROP TABLE b' },
      { format: 'xml' as never },
      { delimiter: ':' as never },
      { phoneStyle: 'smoke-signals' as never },
    ];
    for (const b of bad) {
      const err = await writeDataset({ out, rows: 10, format: 'csv', ...b }).catch((e: unknown) => e);
      expect(err, JSON.stringify(b)).toBeInstanceOf(VigieError);
      expect((err as VigieError).code).toBe('VIGIE_USAGE');
    }
    await expect(readFile(out)).rejects.toThrow();
  });

  it('names the output file when it cannot be written', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const err = (await writeDataset({ out: join(file, 'leak.csv'), rows: 10, format: 'csv' }).catch((e: unknown) => e)) as VigieError;
    expect(err).toBeInstanceOf(VigieError);
    expect(err.code).toBe('VIGIE_USAGE');
    expect(err.position?.file).toBe(join(file, 'leak.csv'));
    expect(err.message).toMatch(/\((ENOTDIR|EEXIST)\)$/);
    const isDir = (await writeDataset({ out: dir, rows: 10, format: 'csv' }).catch((e: unknown) => e)) as VigieError;
    expect(isDir.code).toBe('VIGIE_USAGE');
    expect(isDir.message).toContain('(EISDIR)');
  });
});
