import { loadConfig, type Config } from '../config.js';

/** What a subcommand may touch: the environment and output streams are passed in, for tests. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  config(overrides?: { dataDir?: string; storeUrl?: string }): Config;
}

export function makeContext(env: NodeJS.ProcessEnv, stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream): CliContext {
  return { env, stdout, stderr, config: (o) => loadConfig(env, o) };
}
