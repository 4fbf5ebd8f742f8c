/**
 * The secret key behind every pseudonym. It lives apart from the database (a file with mode
 * 0600, or the environment), so a copy of the database alone cannot be matched against lists
 * of identifiers. Losing it orphans every pseudonym; leaking it turns them into plain hashes.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, link, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { VigieError } from '../errors.js';
import { KEY_BYTES } from './pseudonym.js';

/** File name of the key inside the data directory. */
export const KEY_FILE = 'secret.key';

/**
 * Creates `<dataDir>/secret.key` (32 random bytes, mode 0600) unless a key is already there:
 * never overwrites, so running `vigie init` twice is harmless.
 * The key is written to a temporary file created with mode 0600 and then hard-linked to its
 * name: `link` fails if the name exists, so even two concurrent `init`s cannot replace a key
 * (a `rename` would), and a crash never leaves a half-written `secret.key`.
 * @example const { path, created } = await initKey('/var/lib/vigie');
 */
export async function initKey(dataDir: string): Promise<{ path: string; created: boolean }> {
  const path = join(dataDir, KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmp = join(dataDir, `.${KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(randomBytes(KEY_BYTES));
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
    await syncDir(dataDir);
    return { path, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { path, created: false };
    throw new VigieError('VIGIE_KEY', `cannot create the secret key at ${path}`, { cause: e });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the new directory entry durable; not every platform can open a directory.
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close();
}

export interface KeySource {
  dataDir: string;
  /** The configuration's environment (passed in: nothing else reads process.env). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads the key from `VIGIE_KEY` (hex or base64 of 32 bytes), else from the file named by
 * `VIGIE_KEY_FILE`, else from `<dataDir>/secret.key`. Refuses a key file that group or others
 * may read or write, that is missing, or that does not hold exactly 32 bytes. Error messages
 * name the source, never the key.
 * @example const key = await loadKey({ dataDir: '/var/lib/vigie', env: process.env });
 */
export async function loadKey(source: KeySource): Promise<Buffer> {
  const inline = source.env['VIGIE_KEY'];
  const file = source.env['VIGIE_KEY_FILE'];
  if (inline !== undefined && inline !== '' && file !== undefined && file !== '') {
    throw new VigieError('VIGIE_KEY', 'set VIGIE_KEY or VIGIE_KEY_FILE, not both');
  }
  if (inline !== undefined && inline !== '') return decodeKey(inline.trim());
  return readKeyFile(file !== undefined && file !== '' ? file : join(source.dataDir, KEY_FILE));
}

/** Decodes VIGIE_KEY: 64 hex digits, or base64 / base64url of 32 bytes. */
export function decodeKey(text: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new VigieError('VIGIE_KEY', `VIGIE_KEY must hold ${KEY_BYTES} bytes as 64 hex digits or 44 base64 characters`);
}

async function readKeyFile(path: string): Promise<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ': run `vigie init` or set VIGIE_KEY / VIGIE_KEY_FILE' : '';
    throw new VigieError('VIGIE_KEY', `cannot open the secret key ${path} (${code ?? 'error'})${hint}`, { cause: e });
  }
  try {
    // fstat on the open descriptor: the file checked is the file read.
    const st = await fh.stat();
    if (!st.isFile()) throw new VigieError('VIGIE_KEY', `the secret key ${path} is not a regular file`);
    // POSIX permission bits mean nothing on Windows, where Node reports 0o666 for every file.
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
      throw new VigieError('VIGIE_KEY', `the secret key ${path} has mode ${mode}: group and others must have no access (chmod 600)`);
    }
    const buf = Buffer.alloc(KEY_BYTES + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead !== KEY_BYTES || st.size !== KEY_BYTES) {
      throw new VigieError('VIGIE_KEY', `the secret key ${path} must hold exactly ${KEY_BYTES} bytes, not ${st.size}`);
    }
    const key = Buffer.from(buf.subarray(0, KEY_BYTES));
    buf.fill(0);
    return key;
  } finally {
    await fh.close();
  }
}
