import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigieError } from '../errors.js';
import { decodeKey, initKey, KEY_FILE, loadKey } from './key.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectKeyError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(VigieError);
  expect((e as VigieError).code).toBe('VIGIE_KEY');
  expect((e as VigieError).message).toMatch(pattern);
}

describe('initKey', () => {
  it('creates a 32-byte key with mode 0600 in a new data directory', async () => {
    const dataDir = join(dir, 'data', 'vigie');
    const { path, created } = await initKey(dataDir);
    expect(created).toBe(true);
    expect(path).toBe(join(dataDir, KEY_FILE));
    const st = await stat(path);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.size).toBe(32);
    // No temporary file is left behind.
    expect(await readdir(dataDir)).toEqual([KEY_FILE]);
  });

  it('never overwrites an existing key', async () => {
    const first = await initKey(dir);
    const before = await readFile(first.path);
    const again = await initKey(dir);
    expect(again.created).toBe(false);
    expect((await readFile(first.path)).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual([KEY_FILE]);
  });

  it('keeps exactly one key when several inits race', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => initKey(dir)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await readdir(dir)).toEqual([KEY_FILE]);
  });
});

describe('loadKey', () => {
  it('reads the key that initKey wrote', async () => {
    const { path } = await initKey(dir);
    const key = await loadKey({ dataDir: dir, env: {} });
    expect(key.equals(await readFile(path))).toBe(true);
  });

  it('refuses a key file that group or others can read or write', async () => {
    const { path } = await initKey(dir);
    for (const mode of [0o640, 0o604, 0o620, 0o644]) {
      await chmod(path, mode);
      await expectKeyError(loadKey({ dataDir: dir, env: {} }), new RegExp(`mode ${mode.toString(8)}.*chmod 600`));
    }
    await chmod(path, 0o400);
    expect((await loadKey({ dataDir: dir, env: {} })).length).toBe(32);
  });

  it('refuses a missing key and says how to make one', async () => {
    await expectKeyError(loadKey({ dataDir: dir, env: {} }), /ENOENT.*vigie init/);
  });

  it('refuses a key file that is not exactly 32 bytes', async () => {
    const path = join(dir, KEY_FILE);
    for (const size of [0, 31, 33, 64]) {
      await writeFile(path, randomBytes(size), { mode: 0o600 });
      await expectKeyError(loadKey({ dataDir: dir, env: {} }), new RegExp(`exactly 32 bytes, not ${size}`));
    }
  });

  it('refuses a directory in place of the key', async () => {
    await expectKeyError(loadKey({ dataDir: dir, env: { VIGIE_KEY_FILE: dir } }), /not a regular file/);
  });

  it('reads VIGIE_KEY_FILE before the data directory, with the same checks', async () => {
    await initKey(dir);
    const other = join(dir, 'other.key');
    const bytes = randomBytes(32);
    await writeFile(other, bytes, { mode: 0o600 });
    expect((await loadKey({ dataDir: dir, env: { VIGIE_KEY_FILE: other } })).equals(bytes)).toBe(true);
    await chmod(other, 0o644);
    await expectKeyError(loadKey({ dataDir: dir, env: { VIGIE_KEY_FILE: other } }), /mode 644/);
  });

  it('takes VIGIE_KEY in hex, base64 and base64url, and never echoes a bad one', async () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url')]) {
      expect((await loadKey({ dataDir: dir, env: { VIGIE_KEY: ` ${text}\n` } })).equals(bytes)).toBe(true);
    }
    const bad = randomBytes(31).toString('hex');
    const e = await loadKey({ dataDir: dir, env: { VIGIE_KEY: bad } }).catch((err: unknown) => err);
    expect((e as VigieError).code).toBe('VIGIE_KEY');
    expect((e as VigieError).message).not.toContain(bad);
    expect(() => decodeKey(randomBytes(33).toString('base64'))).toThrow(/32 bytes/);
  });

  it('refuses both VIGIE_KEY and VIGIE_KEY_FILE at once', async () => {
    await expectKeyError(loadKey({ dataDir: dir, env: { VIGIE_KEY: randomBytes(32).toString('hex'), VIGIE_KEY_FILE: join(dir, 'k') } }), /not both/);
  });
});
