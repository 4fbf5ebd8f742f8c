import { loadConfig, type Config } from '../config.js';

/** Where the CLI writes. `stderr.isTTY` decides whether a progress bar is drawn. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** What a subcommand may touch: the environment and output streams are passed in, for tests. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: CliIo['stdout'];
  stderr: CliIo['stderr'];
  config(overrides?: { dataDir?: string; storeUrl?: string }): Config;
}

export function makeContext(env: NodeJS.ProcessEnv, stdout: NodeJS.WritableStream, stderr: CliIo['stderr']): CliContext {
  return { env, stdout, stderr, config: (o) => loadConfig(env, o) };
}
