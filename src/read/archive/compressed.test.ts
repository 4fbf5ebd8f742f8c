/**
 * bzip2, xz and Zstandard as their own commands write them (`bzip2`, `xz`, `zstd`, `tar`), read
 * through `decompress` and through the whole ingest: a mysqldump piped through xz, a pg_dump tar
 * through zstd, generated people through bzip2, each against the generator's ground truth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, MYSQL, PSQL, peopleInMariaDb, peopleInPostgres } from '../../test-helpers/people.js';
import { pgArgs } from '../../test-helpers/services.js';
import { readSource, type ReadEvent } from '../index.js';
import { decompress, ExpansionBudget, type Compression } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-compressed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PATH = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = PATH;
});

const csv = Buffer.from(
  `nom;prénom;email;téléphone\n${'Lefèvre;Éloïse;eloise.lefevre@exemple.fr;06 12 34 56 78\nN’Diaye;Aïssata;a.ndiaye@exemple.org;+33 7 98 76 54 32\n'.repeat(2000)}`,
);

/** The compressors added beside gzip (whose tests are in `archive.test.ts`). */
type Added = Exclude<Compression, 'gzip'>;

/** The compressor's own command: `xz -c`, `bzip2 -c`, `zstd -c`. */
const COMMAND: Record<Added, string[]> = { xz: ['xz', '-c', '-T1'], bzip2: ['bzip2', '-c'], zstd: ['zstd', '-c', '-q'] };

function compress(kind: Added, data: Buffer, extra: string[] = []): Buffer {
  const [cmd, ...args] = COMMAND[kind] as [string, ...string[]];
  return execFileSync(cmd, [...args, ...extra], { input: data, maxBuffer: 1 << 30 });
}

async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function inflate(kind: Added, data: Buffer, limits = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  const budget = new ExpansionBudget(`fuite.${kind}`, data.length, limits);
  for await (const b of decompress(kind, chunksOf(data, 4096), { file: `fuite.${kind}`, budget })) parts.push(b);
  return Buffer.concat(parts);
}

async function failure(f: () => Promise<unknown>): Promise<{ code?: string; message: string; position?: unknown }> {
  try {
    await f();
  } catch (err) {
    return err as { code?: string; message: string; position?: unknown };
  }
  throw new Error('expected an error');
}

const KINDS: Added[] = ['xz', 'bzip2', 'zstd'];

describe.each(KINDS)('decompress %s', (kind) => {
  it('gives back what the command compressed, in small pieces, and concatenated streams one after another', async () => {
    expect((await inflate(kind, compress(kind, csv))).equals(csv)).toBe(true);
    const two = Buffer.concat([compress(kind, csv.subarray(0, 1000)), compress(kind, csv.subarray(1000))]);
    expect((await inflate(kind, two)).equals(csv)).toBe(true);
  });

  it('names a stream cut short with the compressed byte reached, a damaged one as corrupt; never a value', async () => {
    const whole = compress(kind, csv);
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const short = await failure(() => inflate(kind, cut));
    expect(short.code).toBe('VIGIE_TRUNCATED');
    expect(short.message).toBe(`fuite.${kind}, byte ${cut.length}: ${kind} data ends before its end marker`);
    const damaged = Buffer.from(whole);
    damaged.fill(0x55, Math.floor(whole.length / 3), Math.floor(whole.length / 3) + 64);
    const bad = await failure(() => inflate(kind, damaged));
    expect(bad.code).toBe('VIGIE_BAD_FORMAT');
    expect(bad.message).toMatch(new RegExp(`^fuite\\.${kind}, byte \\d+: corrupt ${kind} data$`));
    const garbage = await failure(() => inflate(kind, Buffer.concat([whole, Buffer.from('pas compressé\n')])));
    expect(garbage.code).toBe('VIGIE_BAD_FORMAT');
    for (const e of [short, bad, garbage]) expect(e.message).not.toMatch(/Lefèvre|eloise|06 12/);
  });

  it('refuses a bomb once its output passes the expansion limit', async () => {
    const bomb = compress(kind, Buffer.alloc(64 << 20));
    expect(bomb.length).toBeLessThan(1 << 20);
    let out = 0;
    const budget = new ExpansionBudget('bombe', bomb.length, { expansionFloor: 4 << 20 });
    const err = await failure(async () => {
      for await (const b of decompress(kind, chunksOf(bomb, 65536), { file: 'bombe', budget })) out += b.length;
    });
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(out).toBeLessThanOrEqual(4 << 20);
  });

  it('stops its decompressor when the reader stops early', async () => {
    const big = compress(kind, Buffer.concat(Array.from({ length: 20 }, () => csv)));
    const budget = new ExpansionBudget('fuite', big.length);
    for await (const b of decompress(kind, chunksOf(big, 65536), { file: 'fuite', budget })) {
      expect(b.length).toBeGreaterThan(0);
      break;
    }
    // A second stream right after proves nothing was left holding the decompressor.
    expect((await inflate(kind, compress(kind, csv))).equals(csv)).toBe(true);
  });
});

describe('decompress: limits and missing commands', () => {
  it('refuses an xz stream whose dictionary needs more memory than allowed, with what to do', async () => {
    const xz = compress('xz', Buffer.from('x'), ['--lzma2=dict=1536MiB']);
    const err = await failure(() => inflate('xz', xz));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toContain('needs more memory to decompress than Vigie allows');
    expect(err.message).toContain('xz -d');
  });

  it('refuses a Zstandard frame whose window is over zstd’s own default limit', async () => {
    const zst = compress('zstd', Buffer.alloc(300 << 20, 'a'), ['--long=30', '-1']);
    const err = await failure(() => inflate('zstd', zst));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toContain('zstd -d --memory=2GB');
  });

  it('reads bzip2 without the bzip2 command (pure JavaScript), and says what to install for zstd', async () => {
    const bz = compress('bzip2', csv);
    const zst = compress('zstd', csv);
    process.env['PATH'] = join(dir, 'nothing-here');
    expect((await inflate('bzip2', bz)).equals(csv)).toBe(true);
    const cut = await failure(() => inflate('bzip2', bz.subarray(0, bz.length - 100)));
    expect(cut.code).toBe('VIGIE_TRUNCATED');
    const missing = await failure(() => inflate('zstd', zst));
    expect(missing.code).toBe('VIGIE_BAD_FORMAT');
    expect(missing.message).toBe(
      'fuite.zstd: a zstd-compressed file: reading it needs the zstd command (Debian: apt-get install zstd); or decompress it with zstd -d and ingest the result',
    );
  });
});

async function tables(path: string): Promise<{ name: string; format: string; container: string | undefined; rows: number }[]> {
  const out: { name: string; format: string; container: string | undefined; rows: number }[] = [];
  for await (const ev of readSource(path, { displayName: path.slice(dir.length + 1) }) as AsyncIterable<ReadEvent>) {
    if (ev.kind === 'table') out.push({ name: ev.name, format: ev.format, container: ev.meta['container'], rows: 0 });
    else if (ev.kind === 'rows') (out.at(-1) as { rows: number }).rows += ev.rows.length;
  }
  return out;
}

describe('readSource: compressed files and archives', () => {
  it('reads a CSV in each, by content whatever the name, and tar archives compressed by tar itself', async () => {
    for (const kind of KINDS) {
      writeFileSync(join(dir, `fuite-${kind}.bin`), compress(kind, csv));
      expect(await tables(join(dir, `fuite-${kind}.bin`))).toEqual([{ name: `fuite-${kind}.bin`, format: 'delimited', container: kind, rows: 4000 }]);
    }
    const src = join(dir, 'src');
    execFileSync('mkdir', ['-p', join(src, 'export')]);
    writeFileSync(join(src, 'export', 'clients.csv'), csv);
    writeFileSync(join(src, 'export', 'contacts.jsonl'), '{"email":"paul.roux@exemple.fr","tel":"0612345678"}\n{"email":"l.martin@exemple.org"}\n');
    for (const [flag, kind] of [
      ['--xz', 'xz'],
      ['--bzip2', 'bzip2'],
      ['--zstd', 'zstd'],
    ] as const) {
      const tar = join(dir, `fuite.tar.${kind}`);
      execFileSync('tar', ['-c', flag, '-f', tar, '-C', src, 'export']);
      expect(await tables(tar)).toEqual([
        { name: `fuite.tar.${kind}:export/clients.csv`, format: 'delimited', container: `${kind}>tar`, rows: 4000 },
        { name: `fuite.tar.${kind}:export/contacts.jsonl`, format: 'ndjson', container: `${kind}>tar`, rows: 2 },
      ]);
    }
  });

  it('reads pzstd’s output, which opens with a skippable frame, as the zstd command does', async () => {
    const parallel = execFileSync('pzstd', ['-q', '-p', '2', '-c'], { input: csv });
    expect(parallel.readUInt32LE(0)).toBe(0x184d2a50);
    writeFileSync(join(dir, 'pzstd.csv.zst'), parallel);
    expect(await tables(join(dir, 'pzstd.csv.zst'))).toEqual([{ name: 'pzstd.csv.zst', format: 'delimited', container: 'zstd', rows: 4000 }]);
  });

  it('reads a compressed file inside a zip, and refuses a third layer', async () => {
    writeFileSync(join(dir, 'clients.csv.xz'), compress('xz', csv));
    execFileSync('zip', ['-q', '-j', join(dir, 'envoi.zip'), join(dir, 'clients.csv.xz')]);
    expect(await tables(join(dir, 'envoi.zip'))).toEqual([{ name: 'envoi.zip:clients.csv.xz', format: 'delimited', container: 'zip>xz', rows: 4000 }]);
    writeFileSync(join(dir, 'envoi.zip.zst'), compress('zstd', readFileSync(join(dir, 'envoi.zip'))));
    const events: ReadEvent[] = [];
    for await (const ev of readSource(join(dir, 'envoi.zip.zst'), { displayName: 'envoi.zip.zst' })) events.push(ev);
    expect(events).toEqual([{ kind: 'skip', reason: 'nested archive too deep', position: { file: 'envoi.zip.zst:clients.csv.xz' } }]);
  });

  it('refuses 7-Zip, RAR, lz4, lzip and Unix compress by name, with the command that opens them', async () => {
    const lz4 = execFileSync('lz4', ['-c', '-q'], { input: csv });
    const cases: [string, Buffer, string][] = [
      ['a.7z', Buffer.from('377abcaf271c0004', 'hex'), 'a 7-Zip archive, not read: extract it with 7z x'],
      ['a.rar', Buffer.from('526172211a0701000000', 'hex'), 'a RAR archive, not read: extract it with unrar x'],
      ['a.csv.lz4', lz4, 'an lz4-compressed file, not read: decompress it with lz4 -d'],
      ['a.lz', Buffer.from('4c5a495001', 'hex'), 'an lzip-compressed file'],
      ['a.Z', Buffer.from('1f9d90', 'hex'), 'compressed by Unix compress (.Z)'],
    ];
    for (const [name, data, message] of cases) {
      writeFileSync(join(dir, name), data);
      const err = await failure(() => tables(join(dir, name)));
      expect(err.code, name).toBe('VIGIE_BAD_FORMAT');
      expect(err.message, name).toContain(message);
    }
  });
});

describe('ingest of dumps as they are shipped compressed', () => {
  it('a mysqldump piped through xz, a pg_dump -Ft through zstd and generated people through bzip2 equal the ground truth', async () => {
    const my = await peopleInMariaDb('vigie_compressed', dir, 1500, 311);
    const dump = execFileSync('mysqldump', [...MYSQL, '--skip-extended-insert', 'vigie_compressed'], { maxBuffer: 1 << 28 });
    writeFileSync(join(dir, 'dump.sql.xz'), compress('xz', dump));
    const r1 = await ingest({ files: [join(dir, 'dump.sql.xz')], breach: { name: 'Xz' }, dryRun: true, workers: 0 });
    expect(r1.records).toBe(1500);
    expectClassesOf(r1, my);
    execFileSync('mysql', [...MYSQL, '-e', 'DROP DATABASE vigie_compressed']);

    const pg = await peopleInPostgres('vigie_compressed', dir, 1200, 312);
    const tar = execFileSync('pg_dump', [...pgArgs(), '-Ft', '-n', 'vigie_compressed'], { maxBuffer: 1 << 28 });
    writeFileSync(join(dir, 'base.tar.zst'), compress('zstd', tar));
    const r2 = await ingest({ files: [join(dir, 'base.tar.zst')], breach: { name: 'Zstd' }, dryRun: true, workers: 0 });
    expect(r2.records).toBe(1200);
    expectClassesOf(r2, pg);
    execFileSync('psql', [...PSQL, '-c', 'DROP SCHEMA vigie_compressed CASCADE']);

    const out = join(dir, 'people.csv');
    const truth = await writeDataset({ out, rows: 3000, seed: 313, format: 'csv', columns: 'full', encoding: 'windows-1252', delimiter: ';' });
    writeFileSync(join(dir, 'people.csv.bz2'), compress('bzip2', readFileSync(out)));
    const r3 = await ingest({ files: [join(dir, 'people.csv.bz2')], breach: { name: 'Bz' }, dryRun: true, workers: 0 });
    expect(r3.records).toBe(3000);
    expect(r3.tables[0]?.meta).toEqual(expect.objectContaining({ container: 'bzip2', encoding: 'windows-1252' }));
    expectClassesOf(r3, truth);
  });
});
