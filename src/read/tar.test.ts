/**
 * readSource on tar archives made at test time by the real programs (GNU tar, gzip,
 * python3's tarfile and zipfile): members of every format, archives inside archives, damaged archives and bombs.
 * `archive/tar.test.ts` has the member-level details (formats, names, headers).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource, type ReadEvent, type SourceOptions } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-read-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = 'nom;prénom;email\nLefèvre;Éloïse;eloise.lefevre@exemple.fr\nN’Diaye;Aïssata;a.ndiaye@exemple.org\n';
const csvRows = [
  ['Lefèvre', 'Éloïse', 'eloise.lefevre@exemple.fr'],
  ['N’Diaye', 'Aïssata', 'a.ndiaye@exemple.org'],
];
const json = JSON.stringify([{ nom: 'Roux', contact: { mail: 'paul.roux@exemple.fr' } }]);
const pg = ['--', '-- PostgreSQL database dump', '--', 'COPY public.clients (id, nom, email) FROM stdin;', '1\tPetit\tlea.petit@exemple.fr', '\\.', ''].join(
  '\n',
);

/** Writes `files` under a fresh folder and returns its path. */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const root = join(dir, name);
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  return root;
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A zip of `files`, deflated by python3's zipfile (zip(1) is not on every machine). */
function zipOf(name: string, files: Record<string, string | Buffer>): Buffer {
  const root = folder(`${name}.d`, files);
  const script = `
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for base, _, names in os.walk(sys.argv[2]):
        for n in sorted(names):
            p = os.path.join(base, n); z.write(p, os.path.relpath(p, sys.argv[2]))
`;
  run('/usr/bin/python3', ['-c', script, join(dir, name), root]);
  return readFileSync(join(dir, name));
}

interface Result {
  events: ReadEvent[];
  error: (Error & { code?: string; position?: unknown }) | undefined;
  bytes: number[];
}

async function read(path: string, o: Partial<SourceOptions> = {}): Promise<Result> {
  const events: ReadEvent[] = [];
  const bytes: number[] = [];
  let error: Result['error'];
  try {
    for await (const ev of readSource(path, { displayName: path.slice(dir.length + 1), onBytes: (b) => bytes.push(b), ...o })) events.push(ev);
  } catch (err) {
    error = err as Result['error'];
  }
  return { events, error, bytes };
}

const tablesOf = (r: Result) => r.events.flatMap((e) => (e.kind === 'table' ? [[e.name, e.format, e.meta['container'] ?? '']] : []));
const rowsOf = (r: Result) => r.events.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
const skipsOf = (r: Result) => r.events.flatMap((e) => (e.kind === 'skip' ? [[e.position.file, e.reason]] : []));

describe('readSource: tar', () => {
  it('reads a .tar.gz of CSV, SQL dump, JSON, a zip and a .gz, each member by its content', async () => {
    const root = folder('mixte', {
      'export/clients.csv': csv,
      'export/base.sql': pg,
      'export/crm.json': json,
      'export/archive.zip': zipOf('inner.zip', { 'dans-le-zip.csv': csv }),
      'export/lignes.csv': csv,
    });
    run('gzip', [join(root, 'export/lignes.csv')]);
    run('tar', ['-C', root, '-czf', join(dir, 'fuite.tar.gz'), 'export']);
    const r = await read(join(dir, 'fuite.tar.gz'));
    expect(r.error).toBeUndefined();
    // GNU tar stores members in directory order: sort by name to compare.
    expect(tablesOf(r).sort()).toEqual(
      [
        ['fuite.tar.gz:export/clients.csv', 'delimited', 'gzip>tar'],
        ['fuite.tar.gz:export/base.sql:public.clients', 'pgdump', 'gzip>tar'],
        ['fuite.tar.gz:export/crm.json', 'json', 'gzip>tar'],
        ['fuite.tar.gz:export/archive.zip:dans-le-zip.csv', 'delimited', 'gzip>tar>zip'],
        ['fuite.tar.gz:export/lignes.csv.gz', 'delimited', 'gzip>tar>gzip'],
      ].sort(),
    );
    expect(rowsOf(r)).toHaveLength(2 + 1 + 1 + 2 + 2);
    expect(skipsOf(r)).toEqual([]);
    expect(r.bytes.at(-1)).toBe(statSync(join(dir, 'fuite.tar.gz')).size);
  });

  it('reads a plain .tar (pax format) with a long UTF-8 name, and skips a symlink and a ../ member', async () => {
    const long = `dossier-${'élèves-du-lycée-'.repeat(6)}/clients.csv`;
    const root = folder('plain', { [long]: csv });
    run('ln', ['-s', long, join(root, 'lien.csv')]);
    run('tar', ['-C', root, '--format=posix', '-cf', join(dir, 'plain.tar'), long, 'lien.csv']);
    // python3 appends a member GNU tar will not write.
    run('/usr/bin/python3', [
      '-c',
      "import io,sys,tarfile\nt=tarfile.open(sys.argv[1],'a')\ni=tarfile.TarInfo('../evil.csv');d=sys.argv[2].encode();i.size=len(d);t.addfile(i,io.BytesIO(d));t.close()",
      join(dir, 'plain.tar'),
      csv,
    ]);
    const r = await read(join(dir, 'plain.tar'));
    expect(r.error).toBeUndefined();
    expect(tablesOf(r)).toEqual([[`plain.tar:${long}`, 'delimited', 'tar']]);
    expect(rowsOf(r)).toEqual(csvRows);
    expect(skipsOf(r)).toEqual([
      ['plain.tar:lien.csv', 'symbolic link'],
      ['plain.tar:../evil.csv', 'unsafe entry name'],
    ]);
  });

  it('reads a tar inside a zip and a zip inside a tar, and skips a third layer', async () => {
    const root = folder('gigogne', { 'a.csv': csv });
    run('tar', ['-C', root, '-cf', join(dir, 'a.tar'), 'a.csv']);
    const tarInZip = zipOf('tar-dans.zip', { 'a.tar': readFileSync(join(dir, 'a.tar')) });
    const r1 = await read(join(dir, 'tar-dans.zip'));
    expect(r1.error).toBeUndefined();
    expect(tablesOf(r1)).toEqual([['tar-dans.zip:a.tar:a.csv', 'delimited', 'zip>tar']]);
    expect(rowsOf(r1)).toEqual(csvRows);

    const zipInTar = folder('zip-dans', { 'b.zip': zipOf('b.zip', { 'b.csv': csv }), 'c.zip': tarInZip });
    run('tar', ['-C', zipInTar, '-czf', join(dir, 'zip-dans.tgz'), 'b.zip', 'c.zip']);
    const r2 = await read(join(dir, 'zip-dans.tgz'));
    expect(r2.error).toBeUndefined();
    expect(tablesOf(r2)).toEqual([['zip-dans.tgz:b.zip:b.csv', 'delimited', 'gzip>tar>zip']]);
    expect(skipsOf(r2)).toEqual([['zip-dans.tgz:c.zip:a.tar', 'nested archive too deep']]);
  });

  it('skips a member it cannot read (binary, empty) and reads the next one', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(100_000, 7)]);
    const root = folder('skips', { 'photo.png': png, 'vide.csv': '', 'ok.csv': csv });
    run('tar', ['-C', root, '-cf', join(dir, 'skips.tar'), 'photo.png', 'vide.csv', 'ok.csv']);
    const r = await read(join(dir, 'skips.tar'));
    expect(r.error).toBeUndefined();
    expect(skipsOf(r)).toEqual([
      ['skips.tar:photo.png', 'unsupported format'],
      ['skips.tar:vide.csv', 'empty file'],
    ]);
    expect(rowsOf(r)).toEqual(csvRows);
  });

  it('fails on a truncated tar after the rows it could read, at the byte offset where it ends', async () => {
    const body = csv + 'Martin;Zoé;zoe.martin@exemple.fr\n'.repeat(30_000);
    const root = folder('coupe', { 'a.csv': body });
    run('tar', ['-C', root, '-cf', join(dir, 'coupe-entier.tar'), 'a.csv']);
    const whole = readFileSync(join(dir, 'coupe-entier.tar'));
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    writeFileSync(join(dir, 'coupe.tar'), cut);
    const r = await read(join(dir, 'coupe.tar'));
    expect(r.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'coupe.tar', byte: cut.length } });
    expect(rowsOf(r).length).toBeGreaterThan(10_000);

    run('gzip', ['-k', join(dir, 'coupe-entier.tar')]);
    const gz = readFileSync(join(dir, 'coupe-entier.tar.gz'));
    writeFileSync(join(dir, 'coupe.tar.gz'), gz.subarray(0, gz.length >> 1));
    const z = await read(join(dir, 'coupe.tar.gz'));
    expect(z.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'coupe.tar.gz', byte: gz.length >> 1 } });
    expect(rowsOf(z).length).toBeGreaterThan(1000);
  });

  it('fails on a corrupt header after the members before it, naming its offset', async () => {
    const root = folder('abime', { 'a.csv': csv, 'b.csv': csv });
    run('tar', ['-C', root, '--format=ustar', '-cf', join(dir, 'abime.tar'), 'a.csv', 'b.csv']);
    const tar = readFileSync(join(dir, 'abime.tar'));
    tar.writeUInt8(0x41, 1024 + 1); // b.csv's header: its name changes, its checksum does not
    writeFileSync(join(dir, 'abime.tar'), tar);
    const r = await read(join(dir, 'abime.tar'));
    expect(rowsOf(r)).toEqual(csvRows);
    expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { file: 'abime.tar', byte: 1024 } });
  });

  it('refuses a tar.gz bomb once its output passes the expansion limit', async () => {
    const root = folder('bombe', { 'a.csv': csv });
    run('truncate', ['-s', '64M', join(root, 'zeros.csv')]); // sparse: nothing written to disk
    run('tar', ['-C', root, '-czf', join(dir, 'bombe.tgz'), 'a.csv', 'zeros.csv']);
    const size = statSync(join(dir, 'bombe.tgz')).size;
    expect(size).toBeLessThan(200_000);
    const t = performance.now();
    const r = await read(join(dir, 'bombe.tgz'), { expansionFloor: 1 << 20 });
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.error).toMatchObject({ code: 'VIGIE_UNSAFE_ARCHIVE', position: { file: 'bombe.tgz' } });
    expect(rowsOf(r)).toEqual(csvRows);
  });
});
