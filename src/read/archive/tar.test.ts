/**
 * tarMembers on archives made by the real programs at test time: GNU tar in each of its
 * formats, python3's tarfile for what GNU tar will not write (`../` names, device files).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tarMembers, type TarItem } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = 'nom;prénom;email\nLefèvre;Éloïse;eloise.lefevre@exemple.fr\nN’Diaye;Aïssata;a.ndiaye@exemple.org\n';
/** Two directory levels, each under 100 bytes (ustar splits at a slash), together over 100. */
const longDir = `export-${'clients-de-la-mutuelle-'.repeat(2)}2024/${'departement-'.repeat(5)}75`;

/** A tree to archive: a CSV under a directory name over 100 bytes, a UTF-8 name, a symlink. */
function tree(): string {
  const root = join(dir, 'tree');
  mkdirSync(join(root, longDir), { recursive: true });
  writeFileSync(join(root, longDir, 'clients.csv'), csv);
  writeFileSync(join(root, 'élèves.csv'), csv);
  symlinkSync('élèves.csv', join(root, 'lien.csv'));
  return root;
}
const root = tree();

function gnuTar(name: string, ...args: string[]): Buffer {
  const out = join(dir, name);
  execFileSync('tar', ['-C', root, '-cf', out, ...args, longDir, 'élèves.csv', 'lien.csv']);
  return readFileSync(out);
}

async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

type Got = { kind: 'member'; path: string; text: string } | (TarItem & { kind: 'skip' });

async function items(tar: Buffer, chunk = 1000): Promise<Got[]> {
  const out: Got[] = [];
  for await (const item of tarMembers(chunksOf(tar, chunk), { file: 'fuite.tar' })) {
    if (item.kind === 'member') {
      const parts: Buffer[] = [];
      for await (const b of item.bytes) parts.push(b);
      out.push({ kind: 'member', path: item.path, text: Buffer.concat(parts).toString('utf8') });
    } else out.push(item);
  }
  return out;
}

async function caught(f: () => Promise<unknown>): Promise<{ code?: string; message: string; position?: unknown }> {
  try {
    await f();
  } catch (err) {
    return err as { code?: string; message: string; position?: unknown };
  }
  throw new Error('expected an error');
}

const summary = (got: Got[]) => got.map((i) => [i.kind, i.path, i.kind === 'skip' ? i.reason : i.text]);

describe('tarMembers: the formats GNU tar writes', () => {
  const expected = [
    ['member', `${longDir}/clients.csv`, csv],
    ['member', 'élèves.csv', csv],
    ['skip', 'lien.csv', 'symbolic link'],
  ];
  for (const format of ['gnu', 'posix', 'ustar', 'v7']) {
    it(`reads --format=${format}: names over 100 bytes, UTF-8 names, directories passed over, links skipped`, async () => {
      if (format === 'v7') {
        // v7 headers hold 100-byte names at most, and no magic: a short name only.
        const out = join(dir, 'v7.tar');
        execFileSync('tar', ['-C', join(root, longDir), '-cf', out, '--format=v7', 'clients.csv']);
        expect(summary(await items(readFileSync(out)))).toEqual([['member', 'clients.csv', csv]]);
        return;
      }
      const tar = gnuTar(`${format}.tar`, `--format=${format}`);
      expect(summary(await items(tar, 777))).toEqual(expected);
    });
  }

  it('drops a leading ./ (tar -C dir .)', async () => {
    const out = join(dir, 'dot.tar');
    execFileSync('tar', ['-C', join(root, longDir), '-cf', out, '.']);
    expect(summary(await items(readFileSync(out)))).toEqual([['member', 'clients.csv', csv]]);
  });

  it('skips hard links and sparse members, with the header offset', async () => {
    const src = join(dir, 'links');
    mkdirSync(src);
    writeFileSync(join(src, 'a.csv'), csv);
    execFileSync('ln', [join(src, 'a.csv'), join(src, 'b.csv')]);
    execFileSync('truncate', ['-s', '3M', join(src, 'creux.bin')]);
    for (const format of ['gnu', 'posix']) {
      const out = join(dir, `links-${format}.tar`);
      execFileSync('tar', ['-C', src, '-cSf', out, `--format=${format}`, 'a.csv', 'b.csv', 'creux.bin']);
      const got = await items(readFileSync(out));
      const sparse = format === 'gnu' ? 'unsupported member type' : 'sparse member';
      expect(summary(got)).toEqual([
        ['member', 'a.csv', csv],
        ['skip', 'b.csv', 'hard link'],
        ['skip', format === 'gnu' ? 'creux.bin' : expect.stringMatching(/GNUSparseFile\.\d+\/creux\.bin$/), sparse],
      ]);
      const skips = got.filter((i) => i.kind === 'skip');
      for (const s of skips) expect(s.byte).toBeGreaterThanOrEqual(1024);
    }
  });

  it('skips ../ and absolute names, devices and FIFOs (made with python3 tarfile), and reads the rest', async () => {
    const out = join(dir, 'evil.tar');
    execFileSync('/usr/bin/python3', [
      '-c',
      `
import io, sys, tarfile
data = sys.argv[2].encode()
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    for name in ['../evil.csv', '/etc/cron.d/evil', 'a/../../evil.csv', 'C:/evil.csv', 'ok.csv']:
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    for kind in [tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE]:
        info = tarfile.TarInfo('dev%d' % ord(kind)); info.type = kind; t.addfile(info)
`,
      out,
      csv,
    ]);
    expect(summary(await items(readFileSync(out)))).toEqual([
      ['skip', '../evil.csv', 'unsafe entry name'],
      ['skip', '/etc/cron.d/evil', 'unsafe entry name'],
      ['skip', 'a/../../evil.csv', 'unsafe entry name'],
      ['skip', 'C:/evil.csv', 'unsafe entry name'],
      ['member', 'ok.csv', csv],
      ['skip', 'dev51', 'special file'],
      ['skip', 'dev52', 'special file'],
      ['skip', 'dev54', 'special file'],
    ]);
  });

  it('streams a large member in small and large pieces, every byte in order, no listener piling up', async () => {
    const big = join(dir, 'grand');
    mkdirSync(big);
    const body = csv.repeat(20_000);
    writeFileSync(join(big, 'a.csv'), body);
    const out = join(dir, 'grand.tar');
    execFileSync('tar', ['-C', big, '-cf', out, 'a.csv']);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (const piece of [512, 65_536]) {
        const got = await items(readFileSync(out), piece);
        expect(got).toHaveLength(1);
        expect(got[0]?.kind === 'member' && got[0].text === body).toBe(true);
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('reads an empty archive', async () => {
    const out = join(dir, 'vide.tar');
    execFileSync('tar', ['-cf', out, '-T', '/dev/null']);
    expect(await items(readFileSync(out))).toEqual([]);
  });
});

describe('tarMembers: damaged archives', () => {
  it('delivers a member cut midway up to the cut, then fails truncated at the byte where input ended', async () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'a.csv'), csv.repeat(2000));
    const out = join(dir, 'cut.tar');
    execFileSync('tar', ['-C', big, '-cf', out, 'a.csv']);
    const cut = readFileSync(out).subarray(0, 100_000);
    let got = 0;
    const err = await caught(async () => {
      for await (const item of tarMembers(chunksOf(cut, 4096), { file: 'fuite.tar' })) {
        if (item.kind === 'member') for await (const b of item.bytes) got += b.length;
      }
    });
    expect(err.code).toBe('VIGIE_TRUNCATED');
    expect(err.position).toEqual({ file: 'fuite.tar', byte: 100_000 });
    expect(got).toBe(100_000 - 512);
  });

  it('names a header with a bad checksum, at its byte offset', async () => {
    const tar = gnuTar('ck.tar', '--format=ustar');
    // The second member's header: after the directory, the CSV's header and one data block.
    const second = 3 * 512;
    expect(tar.toString('utf8', second, second + Buffer.byteLength('élèves.csv'))).toBe('élèves.csv');
    tar.writeUInt8((tar[second + 1] ?? 0) ^ 0x01, second + 1);
    const got: string[] = [];
    const err = await caught(async () => {
      for await (const item of tarMembers(chunksOf(tar, 512), { file: 'fuite.tar' })) {
        got.push(item.path);
        if (item.kind === 'member') for await (const _ of item.bytes);
      }
    });
    expect(got).toEqual([`${longDir}/clients.csv`]);
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toBe(`fuite.tar, byte ${second}: corrupt tar header (its checksum does not match)`);
  });

  it('refuses a size field that is not a number, or negative, at the header offset', async () => {
    for (const size of ['zzzzzzzzzzz\0', 'neg']) {
      const tar = gnuTar('size.tar', '--format=ustar');
      const h = 512; // the CSV's header, after the directory's
      if (size === 'neg') {
        // Base-256, negative: -1 as tar-stream reads it (0xff... then 0xfe).
        tar.fill(0xff, h + 124, h + 135);
        tar.writeUInt8(0xfe, h + 135);
      } else tar.write(size, h + 124, 'latin1');
      tar.write('        ', h + 148, 'latin1');
      let sum = 0;
      for (let i = h; i < h + 512; i++) sum += tar[i] ?? 0;
      tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, h + 148, 'latin1');
      const err = await caught(() => items(tar));
      expect([size, err.code, err.message]).toEqual([size, 'VIGIE_BAD_FORMAT', `fuite.tar, byte ${h}: tar header states an invalid member size`]);
    }
  });

  it('fails truncated when a size field points beyond the end', async () => {
    const tar = gnuTar('far.tar', '--format=ustar');
    const h = 512;
    tar.write('77777777777\0', h + 124, 'latin1');
    tar.write('        ', h + 148, 'latin1');
    let sum = 0;
    for (let i = h; i < h + 512; i++) sum += tar[i] ?? 0;
    tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, h + 148, 'latin1');
    const err = await caught(() => items(tar));
    expect(err.code).toBe('VIGIE_TRUNCATED');
    expect(err.position).toEqual({ file: 'fuite.tar', byte: tar.length });
  });

  it('refuses a pax extended header over 4 MiB (python3 tarfile), at its offset', async () => {
    const out = join(dir, 'pax.tar');
    execFileSync('/usr/bin/python3', [
      '-c',
      `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    i = tarfile.TarInfo('a.csv'); i.size = 3; t.addfile(i, io.BytesIO(b'a;b'))
    i = tarfile.TarInfo('b.csv'); i.size = 3; i.pax_headers = {'comment': 'x' * (5 << 20)}; t.addfile(i, io.BytesIO(b'a;b'))
`,
      out,
    ]);
    const err = await caught(() => items(readFileSync(out), 65_536));
    expect(err.code).toBe('VIGIE_TOO_LARGE');
    expect(err.message).toBe('fuite.tar, byte 1024: tar extended header larger than 4 MiB');
  });

  it('passes the input’s own errors through', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield gnuTar('in.tar').subarray(0, 1024);
      throw new Error('disque illisible');
    }
    const err = await caught(async () => {
      for await (const item of tarMembers(failing(), { file: 'fuite.tar' })) if (item.kind === 'member') for await (const _ of item.bytes);
    });
    expect(err.message).toBe('disque illisible');
  });
});
