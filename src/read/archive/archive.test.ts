import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExpansionBudget, gunzip, zipMembers, type ZipItem } from './index.js';
import { makeZip } from './test-helpers/zip.js';

const csv = 'nom;prénom;email;téléphone\nLefèvre;Éloïse;eloise.lefevre@exemple.fr;06 12 34 56 78\nN’Diaye;Aïssata;a.ndiaye@exemple.org;+33 7 98 76 54 32\n';

async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function concat(bytes: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of bytes) parts.push(b);
  return Buffer.concat(parts);
}

async function caught(f: () => Promise<unknown>): Promise<{ code?: string; message: string; position?: unknown }> {
  try {
    await f();
  } catch (err) {
    return err as { code?: string; message: string; position?: unknown };
  }
  throw new Error('expected an error');
}

const budget = (size: number, limits = {}) => new ExpansionBudget('fuite.csv.gz', size, limits);

describe('gunzip', () => {
  it('decompresses in small pieces, and reads concatenated members one after another', async () => {
    const gz = Buffer.concat([gzipSync(csv.slice(0, 40)), gzipSync(csv.slice(40))]);
    const out = await concat(gunzip(chunksOf(gz, 7), { file: 'fuite.csv.gz', budget: budget(gz.length) }));
    expect(out.toString('utf8')).toBe(csv);
  });

  it('names a truncated stream with the byte offset where it ends', async () => {
    const gz = gzipSync(csv.repeat(50));
    const cut = gz.subarray(0, gz.length - 30);
    const err = await caught(() => concat(gunzip(chunksOf(cut, 64), { file: 'fuite.csv.gz', budget: budget(cut.length) })));
    expect(err.code).toBe('VIGIE_TRUNCATED');
    expect(err.position).toEqual({ file: 'fuite.csv.gz', byte: cut.length });
    expect(err.message).toBe(`fuite.csv.gz, byte ${cut.length}: gzip data ends before its end marker`);
  });

  it('reports corrupt data as a bad format', async () => {
    const gz = gzipSync(csv);
    gz.fill(0xff, 12, 30);
    const err = await caught(() => concat(gunzip(chunksOf(gz, 16), { file: 'fuite.csv.gz', budget: budget(gz.length) })));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).not.toContain('Lefèvre');
  });

  it('refuses a gzip bomb once the output passes the expansion limit', async () => {
    const bomb = gzipSync(Buffer.alloc(20 << 20), { level: 9 });
    const b = budget(bomb.length, { expansionFloor: 1 << 20 });
    expect(b.limit).toBe(Math.max(1 << 20, 200 * bomb.length));
    let out = 0;
    const err = await caught(async () => {
      for await (const piece of gunzip(chunksOf(bomb, 4096), { file: 'bombe.gz', budget: b })) out += piece.length;
    });
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(out).toBeLessThanOrEqual(b.limit);
  });

  it('applies the absolute cap even under the ratio', () => {
    const b = budget(1 << 20, { maxDecompressedBytes: 1000 });
    expect(b.limit).toBe(1000);
    expect(() => b.add(1001)).toThrow(/decompressed size cap/);
  });
});

async function items(zip: Buffer, onRaw?: (n: number) => void): Promise<Array<ZipItem & { text?: string }>> {
  const out: Array<ZipItem & { text?: string }> = [];
  const b = new ExpansionBudget('fuite.zip', zip.length);
  for await (const item of zipMembers({ buffer: zip }, { file: 'fuite.zip', budget: b, onRaw })) {
    if (item.kind === 'member') out.push({ ...item, text: (await concat(item.bytes)).toString('utf8') });
    else out.push(item);
  }
  return out;
}

describe('zipMembers', () => {
  it('yields members in order, stored and deflated, and skips directories', async () => {
    const zip = await makeZip([
      { name: 'export/', data: '' },
      { name: 'export/clients.csv', data: csv, method: 8 },
      { name: 'export/notes.txt', data: 'Rappeler Mme Lefèvre', method: 0 },
      { name: '__MACOSX/export/._clients.csv', data: 'x' },
    ]);
    let raw = 0;
    const got = await items(zip, (n) => (raw += n));
    expect(got.map((i) => [i.kind, i.path, i.text])).toEqual([
      ['member', 'export/clients.csv', csv],
      ['member', 'export/notes.txt', 'Rappeler Mme Lefèvre'],
    ]);
    expect(raw).toBeGreaterThan(0);
    expect(raw).toBeLessThan(zip.length);
  });

  it('skips unsafe names, symbolic links, encrypted and unsupported entries, and reads the rest', async () => {
    const zip = await makeZip([
      { name: '../../etc/cron.d/evil', data: 'x' },
      { name: '/abs/path.csv', data: 'x' },
      { name: 'lien', data: '/etc/passwd', externalAttr: 0o120777 * 0x10000 },
      { name: 'secret.csv', data: 'x', flags: 0x801 },
      { name: 'bzip2.csv', data: 'x', method: 12 },
      { name: 'ok\u001b[2J.csv', data: csv },
    ]);
    const got = await items(zip);
    expect(got.map((i) => [i.kind, i.path, i.kind === 'skip' ? i.reason : i.text])).toEqual([
      ['skip', '../../etc/cron.d/evil', 'unsafe entry name'],
      ['skip', '/abs/path.csv', 'unsafe entry name'],
      ['skip', 'lien', 'symbolic link'],
      ['skip', 'secret.csv', 'encrypted entry'],
      ['skip', 'bzip2.csv', 'unsupported compression'],
      ['member', 'ok?[2J.csv', csv],
    ]);
  });

  it('refuses a 200 MB zip bomb from its declared size, before inflating', async () => {
    const zip = await makeZip([{ name: 'zeros.csv', zeros: 200 << 20 }]);
    expect(zip.length).toBeLessThan(1 << 20);
    const t = performance.now();
    const err = await caught(() => items(zip));
    expect(performance.now() - t).toBeLessThan(500);
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(err.message).toMatch(/^fuite\.zip: archive declares beyond the expansion limit/);
  });

  it('refuses a member that inflates past its declared size', async () => {
    const zip = await makeZip([{ name: 'menteur.csv', zeros: 4 << 20, declaredSize: 1000 }]);
    const err = await caught(() => items(zip));
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(err.message).toMatch(/^fuite\.zip:menteur\.csv, byte \d+: zip member is larger than its header states/);
  });

  it('reports a truncated zip', async () => {
    const zip = await makeZip([{ name: 'a.csv', data: csv }]);
    const err = await caught(() => items(zip.subarray(0, zip.length - 10)));
    expect(err.code).toBe('VIGIE_TRUNCATED');
    expect(err.message).toBe('fuite.zip: zip archive is truncated (its central directory is missing)');
  });

  it('reads an empty zip', async () => {
    expect(await items(await makeZip([]))).toEqual([]);
  });
});
