/**
 * Single-file compressors, as leaks are sold (`dump.sql.xz`, `fuite.csv.bz2`, `base.tar.zst`):
 * gzip through node:zlib, xz through lzma-native (the reference liblzma, on libuv's threads), bzip2 through the
 * `bzip2` command when it is installed (else unbzip2-stream, pure JavaScript and 4.5 times
 * slower), Zstandard through the `zstd` command (Node 20's zlib has none, and the JavaScript
 * decoders copy their whole window for every block, which a hostile file turns into quadratic
 * time). A command runs in a process of its own, beside the reading. Each streams, counts its
 * output against the source's budget, reads concatenated streams one after another as its own
 * tool does, and names a truncation or corruption with the compressed byte reached.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createRequire } from 'node:module';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import unbzip2 from 'unbzip2-stream';
import { VigieError } from '../../errors.js';
import type { ExpansionBudget } from './budget.js';
import { throughZlib, zlibError } from './budget.js';

/** The compressors read here, by the name reports give them (`container`: `tar>xz`). */
export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** Whether a detected format is one of these compressors. */
export function isCompression(format: string): format is Compression {
  return format === 'gzip' || format === 'bzip2' || format === 'xz' || format === 'zstd';
}

/** liblzma's memory limit for one xz stream: its dictionary (`xz -9` needs 64 MiB) and state. */
const XZ_MEMLIMIT = 256 * 1024 * 1024;

/**
 * Input handed to liblzma at a time. It turns a whole written piece into output before it waits
 * to be read, and LZMA2 expands up to about 7,000 times: 8 KiB of a bomb is at most some 56 MB
 * held, where a 64 KiB read could be 450 MB.
 */
const XZ_SLICE = 8 * 1024;

/** What the xz decoder needs of lzma-native (CommonJS, untyped). */
interface LzmaNative {
  createStream(kind: 'autoDecoder', o: { memlimit: number; flags: number }): Transform;
  LZMA_CONCATENATED: number;
}

let lzma: LzmaNative | undefined;

/**
 * Decompresses one compressed byte stream. Output counts against `budget`.
 *
 * @throws VigieError `VIGIE_TRUNCATED` (with the compressed byte offset where input ended),
 * `VIGIE_BAD_FORMAT` for corrupt data, a stream needing more memory than allowed or no `zstd`
 * command, `VIGIE_UNSAFE_ARCHIVE` past the budget.
 * @example
 * for await (const bytes of decompress('xz', fileChunks, { file: 'dump.sql.xz', budget })) use(bytes);
 */
export async function* decompress(kind: Compression, input: AsyncIterable<Buffer>, o: { file: string; budget: ExpansionBudget }): AsyncGenerator<Buffer> {
  const feed = new Counted(input);
  try {
    const out =
      kind === 'gzip'
        ? throughZlib(feed.chunks(), createGunzip())
        : kind === 'xz'
          ? throughZlib(slices(feed.chunks(), XZ_SLICE), xzDecoder())
          : kind === 'zstd' || onPath(COMMANDS.bzip2.command)
            ? viaCommand(feed, o.file, COMMANDS[kind])
            : bunzip2(feed);
    for await (const piece of out) {
      o.budget.add(piece.length);
      yield piece;
    }
  } catch (err) {
    throw decompressError(err, kind, o.file, feed);
  }
}

/**
 * Gunzips a byte stream (RFC 1952; concatenated members are read one after another, as
 * gzip(1) does): `decompress('gzip', …)`.
 *
 * @example
 * for await (const bytes of gunzip(fileChunks, { file: 'fuite.csv.gz', budget })) use(bytes);
 */
export function gunzip(input: AsyncIterable<Buffer>, o: { file: string; budget: ExpansionBudget }): AsyncGenerator<Buffer> {
  return decompress('gzip', input, o);
}

/** The compressed input, counted for positions; `ended` once it has all been read. */
class Counted {
  consumed = 0;
  ended = false;

  constructor(private readonly input: AsyncIterable<Buffer>) {}

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of this.input) {
      this.consumed += chunk.length;
      yield chunk;
    }
    this.ended = true;
  }
}

async function* slices(chunks: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += size) yield chunk.subarray(at, at + size);
  }
}

function xzDecoder(): Transform {
  lzma ??= createRequire(import.meta.url)('lzma-native') as LzmaNative;
  // The auto decoder reads .xz and the older .lzma; concatenated streams as xz(1) does.
  return lzma.createStream('autoDecoder', { memlimit: XZ_MEMLIMIT, flags: lzma.LZMA_CONCATENATED });
}

/** unbzip2-stream is a classic `through` stream: piped into a PassThrough for backpressure and async iteration. */
async function* bunzip2(feed: Counted): AsyncGenerator<Buffer> {
  const src = Readable.from(feed.chunks(), { objectMode: false });
  const decoder = unbzip2();
  const out = new PassThrough();
  src.on('error', (err) => out.destroy(err));
  decoder.on('error', (err: Error) => out.destroy(err));
  src.pipe(decoder).pipe(out);
  try {
    yield* out as AsyncIterable<Buffer>;
  } finally {
    src.destroy();
    decoder.destroy();
    out.destroy();
  }
}

/** A compressor's reference command: its arguments to decompress to stdout, and its Debian package. */
interface Command {
  command: string;
  args: string[];
  debian: string;
}

const COMMANDS: Record<'bzip2' | 'zstd', Command> = {
  // bzip2(1) decompresses at about 4.5 times the speed of unbzip2-stream, in a process of its own.
  bzip2: { command: 'bzip2', args: ['-d', '-c'], debian: 'bzip2' },
  // zstd's default window limit (128 MiB) kept explicit: a larger window is refused, not allocated.
  zstd: { command: 'zstd', args: ['-d', '-c', '-q', '--no-progress', '--memory=128MB'], debian: 'zstd' },
};

const found = new Map<string, boolean>();

/** Whether `command` is an executable file in a directory of `PATH` (looked up once per `PATH`). */
function onPath(command: string): boolean {
  const path = process.env['PATH'] ?? '';
  const key = `${command}${delimiter}${path}`;
  let known = found.get(key);
  if (known === undefined) {
    known = path.split(delimiter).some((dir) => {
      if (dir === '') return false;
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    found.set(key, known);
  }
  return known;
}

/** Decompresses through the compressor's own command, fed with backpressure; killed if the reader stops early. */
async function* viaCommand(feed: Counted, file: string, c: Command): AsyncGenerator<Buffer> {
  const child = spawn(c.command, c.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 16) stderr.push(b);
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });
  const source = Readable.from(feed.chunks(), { objectMode: false });
  let inputError: unknown;
  source.on('error', (err) => {
    inputError = err;
    child.kill('SIGKILL');
  });
  // A command that fails early closes its stdin: the EPIPE is its failure, told by its exit.
  child.stdin.on('error', () => undefined);
  source.pipe(child.stdin);
  let finished = false;
  try {
    for await (const piece of child.stdout as AsyncIterable<Buffer>) yield piece;
    const { code, error } = await exited;
    if (inputError !== undefined) throw inputError;
    if (error !== undefined) throw commandMissing(file, c, error);
    const said = Buffer.concat(stderr).toString('utf8');
    // bzip2 ignores bytes after its last stream with a warning and success: they would be lost unsaid.
    if (code !== 0 || /trailing garbage/i.test(said)) throw new CommandFailure(said);
    finished = true;
  } finally {
    if (!finished) {
      source.destroy();
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** A compressor command's failure, told by what it printed (kept inside: never shown). */
class CommandFailure extends Error {
  constructor(readonly said: string) {
    super('decompressor failed');
  }
}

function commandMissing(file: string, c: Command, cause: Error): VigieError {
  return new VigieError(
    'VIGIE_BAD_FORMAT',
    `a ${c.command}-compressed file: reading it needs the ${c.command} command (Debian: apt-get install ${c.debian}); or decompress it with ${c.command} -d and ingest the result`,
    { position: { file }, cause },
  );
}

/** Maps a decompressor's failure to the catalogue; errors already from it (budget, input) pass unchanged. */
function decompressError(err: unknown, kind: Compression, file: string, feed: Counted): unknown {
  if (err instanceof VigieError) return err;
  if (kind === 'gzip') return zlibError(err, file, kind, feed.consumed);
  const position = { file, byte: feed.consumed };
  const truncated = (): VigieError => new VigieError('VIGIE_TRUNCATED', `${kind} data ends before its end marker`, { position, cause: err });
  const corrupt = (): VigieError => new VigieError('VIGIE_BAD_FORMAT', `corrupt ${kind} data`, { position, cause: err });
  if (err instanceof CommandFailure) {
    if (/memory|window/i.test(err.said)) return tooMuchMemory(kind, position);
    // zstd: "premature end"; bzip2: "Compressed file ends unexpectedly".
    return /premature end|ends unexpectedly|unexpected end/i.test(err.said) ? truncated() : corrupt();
  }
  const name = (err as { name?: unknown } | null)?.name;
  if (kind === 'xz') {
    if (name === 'LZMA_BUF_ERROR') return truncated();
    if (name === 'LZMA_MEMLIMIT_ERROR' || name === 'LZMA_MEM_ERROR') return tooMuchMemory(kind, position);
    if (typeof name === 'string' && name.startsWith('LZMA_')) return corrupt();
    return err;
  }
  // unbzip2-stream names its checks' failures `Bzip2Error` (a CRC, a Huffman table); input that
  // stops inside a block makes it read past its buffer (a TypeError) or say so at the end.
  if (kind === 'bzip2' && err instanceof Error) return name === 'Bzip2Error' || !feed.ended ? corrupt() : truncated();
  return err;
}

function tooMuchMemory(kind: Compression, position: { file: string; byte: number }): VigieError {
  return new VigieError(
    'VIGIE_BAD_FORMAT',
    `${kind} data that needs more memory to decompress than Vigie allows (its dictionary or window is over ${kind === 'xz' ? '256' : '128'} MiB): decompress it with ${kind === 'xz' ? 'xz -d' : 'zstd -d --memory=2GB'} and ingest the result`,
    { position },
  );
}
