/**
 * Where a command's result goes: stdout, or a file given with `--out`, written atomically (a
 * temporary file beside it, renamed over it once complete, removed on failure) so that a
 * half-written result never stands where a reader, or the next command, expects a whole one.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { systemCause, VigieError } from '../errors.js';

interface Output {
  write(text: string): Promise<void>;
  /** Ends the output: renames the file into place. */
  commit(): Promise<void>;
  /** Drops a partial file; safe after `commit`. */
  abort(): Promise<void>;
}

function fileError(path: string, e: unknown): VigieError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = (code === undefined ? undefined : systemCause(code)) ?? code ?? 'write failed';
  return new VigieError('VIGIE_FILE_NOT_FOUND', `cannot write the output (${why})`, { position: { file: path }, cause: e });
}

/** Writes to `stream` with backpressure. */
async function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Opens the output: `out` undefined → `stdout`. The file is created with mode 0600: a match
 * result names the organisation's customers.
 */
export async function openOutput(out: string | undefined, stdout: NodeJS.WritableStream): Promise<Output> {
  if (out === undefined) {
    return { write: (t) => writeTo(stdout, t), commit: async () => undefined, abort: async () => undefined };
  }
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  let failure: unknown = null;
  stream.on('error', (e) => {
    failure ??= e;
  });
  try {
    await once(stream, 'open');
  } catch (e) {
    throw fileError(out, e);
  }
  let done = false;
  return {
    async write(text) {
      if (failure) throw fileError(out, failure);
      await writeTo(stream, text);
    },
    async commit() {
      stream.end();
      await once(stream, 'close');
      if (failure) throw fileError(out, failure);
      try {
        await rename(temp, out);
      } catch (e) {
        throw fileError(out, e);
      }
      done = true;
    },
    async abort() {
      if (done) return;
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}
