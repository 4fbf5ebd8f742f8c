/**
 * `pg_dump -Fd` directories made by the real pg_dump (the tests' PostgreSQL server,
 * `test-helpers/services.ts`, in a schema of this file's own, dropped afterwards), gzipped (the
 * default), uncompressed (`-Z0`) and written in parallel (`-j 2`), read as the plain dump of the
 * same schema reads, and give the same ingest report; then copies of them damaged by hand.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../errors.js';
import { writeDataset } from '../gen/index.js';
import { ingest } from '../ingest/index.js';
import { pgArgs } from '../test-helpers/services.js';
import { readSource, sourceParts, type ReadEvent } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-pg-dir-'));
const schema = `vigie_pgdir_${process.pid}`;
const PG = [...pgArgs(), '-X', '-q', '-v', 'ON_ERROR_STOP=1'];

async function events(path: string): Promise<{ events: ReadEvent[]; error: unknown }> {
  const out: ReadEvent[] = [];
  try {
    for await (const ev of readSource(path, { displayName: path.slice(dir.length + 1) })) out.push(ev);
  } catch (error) {
    return { events: out, error };
  }
  return { events: out, error: undefined };
}

/** Tables with their columns and every row, by name, the source's own name taken off. */
function tables(evs: ReadEvent[], prefix: string): Array<{ name: string; columns: string[]; rows: unknown[][] }> {
  const out: Array<{ name: string; columns: string[]; rows: unknown[][] }> = [];
  for (const ev of evs) {
    if (ev.kind === 'table') out.push({ name: ev.name.replace(prefix, ''), columns: ev.columns, rows: [] });
    else if (ev.kind === 'rows') out.at(-1)?.rows.push(...ev.rows);
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

const skips = (evs: ReadEvent[]) => evs.filter((e) => e.kind === 'skip');

function pgDump(file: string, ...extra: string[]): string {
  const path = join(dir, file);
  execFileSync('pg_dump', [...pgArgs(), `--schema=${schema}`, ...extra, '-f', path], { maxBuffer: 1 << 28 });
  return path;
}

/** A copy of the directory archive `src` named `name`, to be damaged. */
function copy(src: string, name: string): string {
  const path = join(dir, name);
  cpSync(src, path, { recursive: true });
  return path;
}

/** The data file of the table `table` in the directory `d` (from pg_restore's own listing of its TOC). */
function dataFileOf(d: string, table: string): string {
  const list = execFileSync('pg_restore', ['-l', d], { encoding: 'utf8' });
  const id = new RegExp(`^(\\d+); [^\\n]* TABLE DATA ${schema} ${table} `, 'm').exec(list)?.[1];
  const file = readdirSync(d).find((f) => f === `${id}.dat` || f === `${id}.dat.gz`);
  if (id === undefined || file === undefined) throw new Error(`no data file for ${table} in ${d}`);
  return file;
}

let plain: string;
let gz: string;
let z0: string;
let par: string;
beforeAll(async () => {
  const script = join(dir, 'people.sql');
  await writeDataset({ out: script, rows: 2000, seed: 43, format: 'sql-inserts', columns: 'ants', sqlDialect: 'postgres' });
  execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`, '-c', `CREATE SCHEMA ${schema}`]);
  execFileSync('psql', PG, {
    input: Buffer.concat([
      Buffer.from(`SET search_path TO ${schema};\n`),
      readFileSync(script),
      // What COPY text must escape, a quoted mixed-case name, a table without rows, a large object.
      Buffer.from(
        `CREATE TABLE "Notes Clients" (id int, "Texte" text, montant numeric);
         INSERT INTO "Notes Clients" VALUES (1, E'Rappeler\\tMme Lefèvre\\nle 3 mai', 12.5), (2, E'C:\\\\dossiers\\\\N’Diaye', NULL), (3, '', 0);
         CREATE TABLE vide (x int);\n`,
      ),
    ]),
  });
  plain = pgDump('plain.sql');
  gz = pgDump('base.d', '-Fd');
  z0 = pgDump('base-z0.d', '-Fd', '-Z0');
  par = pgDump('base-j2.d', '-Fd', '-j', '2');
});

afterAll(() => {
  execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
  rmSync(dir, { recursive: true, force: true });
});

describe('readSource: pg_dump -Fd', () => {
  it('reads gzipped, uncompressed and parallel dumps as the plain dump: same names, columns and rows', async () => {
    const a = await events(plain);
    expect(a.error).toBeUndefined();
    const expected = tables(a.events, 'plain.sql:');
    expect(expected.map((t) => t.name)).toEqual([`${schema}.Notes Clients`, `${schema}.personnes`]);
    expect(expected.find((t) => t.name.endsWith('personnes'))?.rows).toHaveLength(2000);
    expect(readdirSync(gz).some((f) => f.endsWith('.dat.gz'))).toBe(true);
    expect(readdirSync(z0).some((f) => f.endsWith('.gz'))).toBe(false);
    for (const [d, container] of [
      [gz, 'directory>gzip'],
      [z0, 'directory'],
      [par, 'directory>gzip'],
    ] as const) {
      const name = d.slice(dir.length + 1);
      const b = await events(d);
      expect(b.error, name).toBeUndefined();
      expect(tables(b.events, `${name}:`), name).toEqual(expected);
      expect(skips(b.events), name).toEqual([]);
      const table = b.events.find((e) => e.kind === 'table');
      expect(table).toMatchObject({ format: 'pgdump', meta: { container, member: expect.stringMatching(/^\d+\.dat(\.gz)?$/) } });
    }
  });

  it('gives the ingest report of the plain dump', async () => {
    const report = (f: string) => ingest({ files: [f], breach: { name: 'Pg' }, dryRun: true, workers: 0 });
    const base = await report(plain);
    expect(base.records).toBe(2003);
    const strip = (r: typeof base, file: string) => r.tables.map((t) => ({ ...t, name: t.name.replace(file, ''), meta: {} }));
    for (const d of [gz, z0, par]) {
      const r = await report(d);
      for (const key of ['records', 'skipped', 'people', 'dataClasses', 'skippedReasons'] as const) expect(r[key], `${d} ${key}`).toEqual(base[key]);
      expect(strip(r, d)).toEqual(strip(base, plain));
      // The directory's size is that of its toc.dat and data files.
      const bytes = readdirSync(d).reduce((n, f) => n + statSync(join(d, f)).size, 0);
      expect(r.files).toEqual([expect.objectContaining({ path: d, bytes, records: 2003, skipped: 0 })]);
    }
  });

  it('a data file the TOC names but that is missing is a skip naming it; the other tables are read', async () => {
    const d = copy(gz, 'manque.d');
    const notes = dataFileOf(d, 'Notes Clients');
    unlinkSync(join(d, notes));
    const r = await events(d);
    expect(r.error).toBeUndefined();
    expect(skips(r.events)).toEqual([{ kind: 'skip', reason: 'missing data file', position: { file: `manque.d/${notes.replace(/\.gz$/, '')}` } }]);
    expect(tables(r.events, 'manque.d:').map((t) => [t.name, t.rows.length])).toEqual([[`${schema}.personnes`, 2000]]);
    // The ingest report counts it among its skips, by reason and position.
    const report = await ingest({ files: [d], breach: { name: 'Pg' }, dryRun: true, workers: 0 });
    expect(report.skippedReasons['missing data file']).toEqual(expect.objectContaining({ count: 1 }));
    expect(report.skippedReasons['missing data file']?.first[0]).toContain(join(d, notes.replace(/\.gz$/, '')));
  });

  it('a corrupt gzip data file fails the source, naming the file and the byte offset', async () => {
    const d = copy(gz, 'corrompu.d');
    const people = dataFileOf(d, 'personnes');
    const bytes = readFileSync(join(d, people));
    for (let i = 200; i < 260; i++) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
    writeFileSync(join(d, people), bytes);
    const r = await events(d);
    expect(isVigieError(r.error) && r.error.code).toBe('VIGIE_BAD_FORMAT');
    expect(isVigieError(r.error) && r.error.position?.file).toBe(`corrompu.d/${people}`);
    expect(isVigieError(r.error) && r.error.position?.byte).toEqual(expect.any(Number));
    expect((r.error as Error).message).toMatch(/corrupt gzip data/);
  });

  it('a damaged toc.dat fails the source at its byte offset', async () => {
    const d = copy(gz, 'toc-coupe.d');
    writeFileSync(join(d, 'toc.dat'), readFileSync(join(d, 'toc.dat')).subarray(0, 300));
    const cut = await events(d);
    expect(isVigieError(cut.error) && cut.error.code).toBe('VIGIE_TRUNCATED');
    expect(isVigieError(cut.error) && cut.error.position).toEqual({ file: 'toc-coupe.d/toc.dat', byte: 300 });
    expect(cut.events).toEqual([]);
    // A custom-format archive put in its place: the format byte says which, at its offset.
    const other = copy(gz, 'toc-custom.d');
    execFileSync('pg_dump', [...pgArgs(), `--schema=${schema}`, '-Fc', '-f', join(other, 'toc.dat')]);
    const custom = await events(other);
    expect(isVigieError(custom.error) && custom.error.code).toBe('VIGIE_BAD_FORMAT');
    expect(isVigieError(custom.error) && custom.error.position).toEqual({ file: 'toc-custom.d/toc.dat', byte: 10 });
    expect((custom.error as Error).message).toMatch(/a custom-format archive, not directory format/);
    // PostgreSQL 16's header (archive 1.15) with lz4 data, which Vigie does not decompress: refused by name.
    const lz4 = copy(gz, 'toc-lz4.d');
    writeFileSync(join(lz4, 'toc.dat'), Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 15, 0, 4, 8, 3, 2]), Buffer.alloc(64)]));
    const refused = await events(lz4);
    expect(isVigieError(refused.error) && refused.error.position).toEqual({ file: 'toc-lz4.d/toc.dat', byte: 11 });
    expect((refused.error as Error).message).toMatch(/compressed with lz4, which Vigie does not decompress/);
  });

  it('any other directory is an error saying what to do', async () => {
    const plainDir = join(dir, 'export');
    mkdirSync(plainDir);
    writeFileSync(join(plainDir, 'clients.csv'), 'nom;email\nJeanne Martin;jeanne.martin@example.fr\n');
    for (const d of [plainDir, copy(gz, 'sans-toc.d')]) {
      rmSync(join(d, 'toc.dat'), { force: true });
      const r = await events(d);
      expect(isVigieError(r.error) && r.error.code).toBe('VIGIE_FILE_NOT_FOUND');
      expect(isVigieError(r.error) && r.error.position).toEqual({ file: d.slice(dir.length + 1) });
      expect((r.error as Error).message).toMatch(/is a directory .*give the files in it/);
    }
    // toc.dat that is not pg_dump's: the same.
    writeFileSync(join(plainDir, 'toc.dat'), 'nom;email\n');
    expect(((await events(plainDir)).error as Error).message).toMatch(/not a pg_dump -Fd archive/);
  });

  it('a data file replaced by a symbolic link to a file outside is skipped, never followed', async () => {
    const d = copy(z0, 'lien.d');
    const notes = dataFileOf(d, 'Notes Clients');
    const outside = join(dir, 'dehors.dat');
    writeFileSync(outside, '9\tNe doit pas être lu\t1\n\\.\n');
    unlinkSync(join(d, notes));
    symlinkSync(outside, join(d, notes));
    const r = await events(d);
    expect(r.error).toBeUndefined();
    expect(skips(r.events)).toEqual([{ kind: 'skip', reason: 'not a regular file', position: { file: `lien.d/${notes}` } }]);
    expect(JSON.stringify(r.events)).not.toContain('Ne doit pas');
    // Nor counted in its size or digest.
    expect((await sourceParts(d)).map((p) => p.name)).not.toContain(notes);
    // toc.dat itself as a link: not an archive.
    const t = copy(z0, 'lien-toc.d');
    const toc = join(dir, 'toc-dehors.dat');
    cpSync(join(t, 'toc.dat'), toc);
    unlinkSync(join(t, 'toc.dat'));
    symlinkSync(toc, join(t, 'toc.dat'));
    expect(isVigieError((await events(t)).error) && ((await events(t)).error as Error).message).toMatch(/not a pg_dump -Fd archive/);
  });

  it('lists its parts in TOC order, toc.dat first; files the TOC does not name are left out', async () => {
    const d = copy(gz, 'parts.d');
    writeFileSync(join(d, 'notes.txt'), 'pas une table\n');
    const parts = await sourceParts(d);
    expect(parts[0]).toEqual({ name: 'toc.dat', path: join(d, 'toc.dat'), size: statSync(join(d, 'toc.dat')).size });
    expect(parts.slice(1).map((p) => p.name)).toEqual(
      execFileSync('pg_restore', ['-l', d], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => / TABLE DATA /.test(l))
        .map((l) => `${l.split(';')[0]}.dat.gz`),
    );
    expect(await sourceParts(plain)).toEqual([{ name: '', path: plain, size: statSync(plain).size }]);
  });
});
