/**
 * `pg_dump -Ft` archives made by the real pg_dump (the tests' PostgreSQL server,
 * `test-helpers/services.ts`, in a schema of this file's own, dropped afterwards) read as the
 * plain dump of the same database reads; then the same archive damaged by hand (python3 tarfile).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../gen/index.js';
import { pgArgs } from '../test-helpers/services.js';
import { readSource, type ReadEvent } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-pg-tar-'));
const schema = `vigie_pgtar_${process.pid}`;
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

/** Tables with their columns and every row, in order, the source's own name taken off. */
function tables(evs: ReadEvent[], prefix: string): Array<{ name: string; columns: string[]; rows: unknown[][] }> {
  const out: Array<{ name: string; columns: string[]; rows: unknown[][] }> = [];
  for (const ev of evs) {
    if (ev.kind === 'table') out.push({ name: ev.name.replace(prefix, ''), columns: ev.columns, rows: [] });
    else if (ev.kind === 'rows') out.at(-1)?.rows.push(...ev.rows);
  }
  return out;
}

function pgDump(file: string, ...extra: string[]): string {
  const path = join(dir, file);
  writeFileSync(path, execFileSync('pg_dump', [...pgArgs(), `--schema=${schema}`, ...extra], { maxBuffer: 1 << 28 }));
  return path;
}

/** Rewrites tar members with python3's tarfile: `edits` maps a member name to new content (or null to drop it). */
function retar(src: string, out: string, edits: Record<string, string | null>): string {
  const path = join(dir, out);
  const script = `
import io, json, sys, tarfile
edits = json.loads(sys.argv[3])
with tarfile.open(sys.argv[1]) as a, tarfile.open(sys.argv[2], 'w', format=tarfile.USTAR_FORMAT) as b:
    for m in a:
        data = a.extractfile(m).read() if m.isfile() else None
        if m.name in edits:
            if edits[m.name] is None: continue
            data = edits[m.name].encode('latin1'); m.size = len(data)
        b.addfile(m, io.BytesIO(data) if data is not None else None)
`;
  execFileSync('/usr/bin/python3', ['-c', script, src, path, JSON.stringify(edits)]);
  return path;
}

let plain: string;
let tar: string;
beforeAll(async () => {
  const script = join(dir, 'people.sql');
  await writeDataset({ out: script, rows: 2000, seed: 41, format: 'sql-inserts', columns: 'ants', sqlDialect: 'postgres' });
  execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`, '-c', `CREATE SCHEMA ${schema}`]);
  execFileSync('psql', PG, {
    input: Buffer.concat([
      Buffer.from(`SET search_path TO ${schema};\n`),
      readFileSync(script),
      // What COPY text must escape, a quoted mixed-case name, and a table without rows.
      Buffer.from(
        `CREATE TABLE "Notes Clients" (id int, "Texte" text, montant numeric);
         INSERT INTO "Notes Clients" VALUES (1, E'Rappeler\\tMme Lefèvre\\nle 3 mai', 12.5), (2, E'C:\\\\dossiers\\\\N’Diaye', NULL), (3, '', 0);
         CREATE TABLE vide (x int);\n`,
      ),
    ]),
  });
  plain = pgDump('plain.sql');
  tar = pgDump('base.tar', '-Ft');
});

afterAll(() => {
  execFileSync('psql', [...PG, '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
  rmSync(dir, { recursive: true, force: true });
});

describe('readSource: pg_dump -Ft', () => {
  it('reads the tables of the archive as those of the plain dump: same names, columns and rows', async () => {
    const a = await events(plain);
    const b = await events(tar);
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
    const expected = tables(a.events, 'plain.sql:');
    expect(expected.map((t) => t.name).sort()).toEqual([`${schema}.Notes Clients`, `${schema}.personnes`]);
    expect(expected.find((t) => t.name.endsWith('personnes'))?.rows).toHaveLength(2000);
    expect(tables(b.events, 'base.tar:').sort((x, y) => x.name.localeCompare(y.name))).toEqual(expected.sort((x, y) => x.name.localeCompare(y.name)));
    expect(b.events.filter((e) => e.kind === 'skip')).toEqual([]);
    const table = b.events.find((e) => e.kind === 'table');
    expect(table).toMatchObject({ format: 'pgdump', meta: { container: 'tar', member: expect.stringMatching(/^\d+\.dat$/) } });
  });

  it('reads it gzipped too', async () => {
    execFileSync('gzip', ['-k', tar]);
    const b = await events(`${tar}.gz`);
    expect(b.error).toBeUndefined();
    expect(
      tables(b.events, 'base.tar.gz:')
        .map((t) => [t.name, t.rows.length])
        .sort(),
    ).toEqual([
      [`${schema}.Notes Clients`, 3],
      [`${schema}.personnes`, 2000],
    ]);
  });

  it('names a malformed line by its member and line in that member', async () => {
    const list = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).split('\n');
    const restore = execFileSync('tar', ['-xOf', tar, 'restore.sql'], { encoding: 'utf8' });
    const notes = /COPY [^\n]*"Notes Clients"[^\n]* FROM '\$\$PATH\$\$\/(\d+\.dat)'/.exec(restore)?.[1] ?? '';
    expect(list).toContain(notes);
    const edited = retar(tar, 'abime.tar', { [notes]: '1\tun\t2\n2\tdeux champs\n3\ttrois\t4\n\\.\n\n' });
    const r = await events(edited);
    expect(r.error).toBeUndefined();
    expect(r.events.filter((e) => e.kind === 'skip')).toEqual([
      { kind: 'skip', reason: 'field count', position: { file: `abime.tar:${notes}`, line: 2, record: 2, table: `${schema}.Notes Clients` } },
    ]);
    expect(tables(r.events, 'abime.tar:').find((t) => t.name.endsWith('Notes Clients'))?.rows).toEqual([
      ['1', 'un', '2'],
      ['3', 'trois', '4'],
    ]);
  });

  it('reads the members as plain files when toc.dat is damaged', async () => {
    const toc = execFileSync('tar', ['-xOf', tar, 'toc.dat']);
    const edited = retar(tar, 'toc-coupe.tar', { 'toc.dat': toc.subarray(0, 300).toString('latin1') });
    const r = await events(edited);
    expect(r.error).toBeUndefined();
    expect(r.events.filter((e) => e.kind === 'skip').map((e) => e.kind === 'skip' && [e.position.file, e.reason])).toContainEqual([
      'toc-coupe.tar:toc.dat',
      'unsupported format',
    ]);
    expect(r.events.filter((e) => e.kind === 'table').every((e) => e.kind === 'table' && e.format === 'delimited')).toBe(true);
  });
});
