/**
 * Test helper (imported by tests only): runs `vigie` in-process through `run()` with captured
 * stdout and stderr, and checks the bad-input contract of docs/architecture.md §5.3 on the result.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { ErrorCodes, type ErrorCode } from '../../errors.js';
import { run } from '../index.js';

/** A fixed 256-bit key (64 hex digits), for runs that need no key file. */
export const TEST_KEY = '3f1c5a7e9b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6e8f0a2c4e6081a3c';

/** What one `vigie` run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it; not a terminal, so no progress bar is drawn. */
class Capture extends Writable {
  text = '';
  readonly isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/** Runs `vigie ARGS` with exactly the environment `env` (nothing from the test process). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(args, env, { stdout, stderr });
  // Writes are synchronous on these streams; one turn lets any deferred callback settle.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temporary folder, removed by `cleanup()`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vigie-cli-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of a run: its own data directory and, unless `key` is false, `VIGIE_KEY`. */
export function cliEnv(dataDir: string, opts: { key?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { VIGIE_DATA: dataDir };
  if (opts.key !== false) env['VIGIE_KEY'] = TEST_KEY;
  return env;
}

/** What a failed run must show, and what it must not. */
export interface ErrorExpectation {
  /** The catalogue code, whose exit code the run must return. */
  code: ErrorCode;
  /** Texts the one line must contain: the file name, a position, the flag... */
  mentions: (string | RegExp)[];
  /** Values from the input that must not appear anywhere in the output. */
  leaked?: readonly string[];
}

/**
 * The bad-input contract: the catalogue's exit code, nothing on stdout, exactly one line on
 * stderr (ignoring its newline) carrying the code, the expected mentions, no stack frame and
 * no value from the input.
 */
export function expectCleanError(r: CliResult, want: ErrorExpectation): string {
  const line = r.stderr.replace(/\n$/, '');
  expect(r.code, r.stderr).toBe(ErrorCodes[want.code].exit);
  expect(r.stdout).toBe('');
  expect(line.split('\n'), r.stderr).toHaveLength(1);
  expect(line).toMatch(/^(vigie|error): /);
  if (line.startsWith('vigie: ')) expect(line).toContain(`[${want.code}]`);
  expect(line).not.toContain('    at ');
  for (const m of want.mentions) {
    if (typeof m === 'string') expect(line).toContain(m);
    else expect(line).toMatch(m);
  }
  for (const v of want.leaked ?? []) {
    expect(line.includes(v), `leaked value in: ${line}`).toBe(false);
  }
  return line;
}
