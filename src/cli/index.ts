/**
 * cli: the `vigie` command. Each subcommand parses, wires, calls, and sets the exit code;
 * the logic lives in the pipeline folders.
 */
import { Command, CommanderError } from 'commander';
import { ErrorCodes, isVigieError } from '../errors.js';
import { makeContext, type CliContext, type CliIo } from './context.js';
import { registerAlerts } from './alerts.js';
import { registerDomains } from './domains.js';
import { registerGen } from './gen.js';
import { registerIngest } from './ingest.js';
import { registerMatch } from './match.js';
import { registerClaim } from './claim.js';
import { registerNotify } from './notify.js';
import { registerServe } from './serve.js';
import { registerStoreCommands } from './store-commands.js';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('vigie')
    .description('Vigie: ingest leaks of French personal data, tell people privately what of theirs was exposed')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  registerIngest(program, ctx);
  registerGen(program, ctx);
  registerStoreCommands(program, ctx);
  registerServe(program, ctx);
  registerMatch(program, ctx);
  registerClaim(program, ctx);
  registerNotify(program, ctx);
  registerAlerts(program, ctx);
  registerDomains(program, ctx);
  return program;
}

export type { CliIo } from './context.js';

/**
 * Runs the CLI and returns the exit code. User errors print one line; never a stack trace.
 * `io` defaults to the process streams; tests pass their own to capture the output.
 * @example process.exitCode = await run(process.argv.slice(2));
 */
export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const ctx = makeContext(env, io.stdout, io.stderr);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its message (usage, help, version).
      return e.exitCode === 0 ? 0 : ErrorCodes.VIGIE_USAGE.exit;
    }
    if (isVigieError(e)) {
      ctx.stderr.write(`vigie: ${e.message} [${e.code}]\n`);
      return e.exitCode;
    }
    // An internal error: its message could quote input, so it is printed only in debug mode.
    ctx.stderr.write('vigie: internal error (set VIGIE_DEBUG=1 for details) [VIGIE_INTERNAL]\n');
    if (env['VIGIE_DEBUG'] === '1') ctx.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ErrorCodes.VIGIE_INTERNAL.exit;
  }
}
