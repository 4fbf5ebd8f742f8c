/**
 * `vigie match`: which of the organisation's customers are in a leak (src/match/). The result
 * (CSV `id,matched,data_classes`, or JSON) goes to stdout or `--out`; the counts go to stderr.
 * `vigie notices` reads this CSV: its header and `;`-joined lists are a fixed format.
 */
import type { Command } from 'commander';
import Papa from 'papaparse';
import { matchFile, type CustomerMatch, type MatchSummary } from '../match/index.js';
import type { CliContext } from './context.js';
import { openOutput } from './output.js';
import { checkBreachName, parseWorkers } from './ingest.js';
import { withStoreOptions } from './store-commands.js';
import { withWorld, type StoreFlags } from './world.js';

interface MatchFlags extends StoreFlags {
  breach: string;
  idColumn: string;
  out?: string;
  json?: boolean;
  workers?: string;
}

/** The header of the CSV result, read by `vigie notices`. */
const MATCH_CSV_HEADER = ['id', 'matched', 'data_classes'] as const;

function csvLines(batch: CustomerMatch[]): string {
  const rows = batch.map((m) => [m.id, m.matched.join(';'), m.dataClasses.join(';')]);
  return `${Papa.unparse(rows, { header: false, newline: '\n' })}\n`;
}

function jsonItems(batch: CustomerMatch[], first: boolean): string {
  const items = batch.map((m) => JSON.stringify({ id: m.id, matched: m.matched, dataClasses: m.dataClasses }));
  return `${first ? '' : ',\n'}${items.join(',\n')}`;
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The counts for the operator: no customer id, no value. */
function renderMatchSummary(file: string, s: MatchSummary): string {
  const lines = [
    `vigie match: ${n(s.rows)} rows read from ${file}, ${n(s.withIdentifier)} with at least one identifier; ${n(s.matched)} customers found in ${s.breach}`,
  ];
  for (const [kind, c] of Object.entries(s.kinds)) lines.push(`  ${kind}: ${n(c.present)} rows with one, ${n(c.matched)} found`);
  const reasons = Object.entries(s.skippedReasons).map(([r, k]) => `${r}: ${n(k)}`);
  lines.push(`  skipped: ${n(s.skipped)}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`);
  lines.push(`  ${(s.elapsedMs / 1000).toFixed(1)} s, ${n(Math.round((s.rows / s.elapsedMs) * 1000))} rows/s`);
  return `${lines.join('\n')}\n`;
}

export function registerMatch(program: Command, ctx: CliContext): void {
  withStoreOptions(
    program
      .command('match')
      .description("find which of the organisation's own customers are in a leak, and what it exposed of each")
      .argument('<file>', 'the customer file, in any format ingest reads (its own column names and writings)')
      .requiredOption('--breach <name>', 'the leak to match against')
      .requiredOption('--id-column <column>', "the column holding the organisation's customer id (written to the result, never looked up)")
      .option('--out <file>', 'write the result to this file (atomically) instead of stdout')
      .option('--json', 'a JSON array of {id, matched, dataClasses} instead of CSV')
      .option('--workers <n>', 'worker threads that normalise and pseudonymise (0 = inline; default VIGIE_WORKERS, one less than the cores)'),
  ).action(async (file: string, flags: MatchFlags) => {
    const breach = checkBreachName(flags.breach);
    const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers);
    await withWorld(ctx, flags, async ({ config, store, key }) => {
      const out = await openOutput(flags.out, ctx.stdout);
      let first = true;
      try {
        await out.write(flags.json ? '[\n' : `${MATCH_CSV_HEADER.join(',')}\n`);
        const summary = await matchFile({
          file,
          breach,
          idColumn: flags.idColumn,
          store,
          key,
          workers: workers ?? config.workers,
          onMatches: async (batch) => {
            await out.write(flags.json ? jsonItems(batch, first) : csvLines(batch));
            first = false;
          },
        });
        await out.write(flags.json ? `${first ? '' : '\n'}]\n` : '');
        await out.commit();
        ctx.stderr.write(renderMatchSummary(file, summary));
      } finally {
        await out.abort();
      }
    });
  });
}
