import type { Command } from 'commander';
import { VigieError } from '../errors.js';
import { DEFAULT_MAX_SKIPPED, ingest, type SkipLimit } from '../ingest/index.js';
import { parseMemorySize, parseWorkerCount } from '../config.js';
import { renderImpactText } from '../report/index.js';
import { isBreachName } from '../store/index.js';
import type { CliContext } from './context.js';
import { createProgress } from './progress.js';
import { openWorld } from './world.js';

interface IngestFlags {
  breach: string;
  title?: string;
  date?: string;
  domain?: string;
  description?: string;
  sensitive?: boolean;
  verified?: boolean;
  dryRun?: boolean;
  json?: boolean;
  data?: string;
  workers?: string;
  maxSkipped?: string;
  store?: string;
  append?: boolean;
  memory?: string;
}

/** `--max-skipped 500` (records) or `--max-skipped 2%` (of records read). */
export function parseSkipLimit(raw: string | undefined): SkipLimit {
  if (raw === undefined) return DEFAULT_MAX_SKIPPED;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(raw.trim());
  if (!m) throw new VigieError('VIGIE_USAGE', '--max-skipped takes a count (500) or a share (2%)');
  const n = Number(m[1]);
  if (m[2] === '%') {
    if (n > 100) throw new VigieError('VIGIE_USAGE', '--max-skipped share must be at most 100%');
    return { share: n / 100 };
  }
  if (!Number.isInteger(n)) throw new VigieError('VIGIE_USAGE', '--max-skipped count must be an integer');
  return { count: n };
}

/** `--workers 4`: the rule of `VIGIE_WORKERS` (`parseWorkerCount`), as a usage error. */
export function parseWorkers(raw: string): number {
  const n = parseWorkerCount(raw);
  if (n === undefined) throw new VigieError('VIGIE_USAGE', '--workers must be an integer between 0 and 256');
  return n;
}

/** `--memory 512M`: the rule of `VIGIE_MEMORY` (`parseMemorySize`), as a usage error. */
function parseMemory(raw: string): number {
  const n = parseMemorySize(raw);
  if (n === undefined) throw new VigieError('VIGIE_USAGE', '--memory must be a size from 1M to 1T, such as 512M or 2G');
  return n;
}

function checkDate(d: string | undefined): string | undefined {
  if (d === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  const t = m ? new Date(`${d}T00:00:00Z`) : null;
  if (!m || !t || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) {
    throw new VigieError('VIGIE_USAGE', '--date must be a calendar date written YYYY-MM-DD');
  }
  return d;
}

/** Breach names follow HIBP's: letters, digits and a few separators, used in URLs (the store's rule). */
export function checkBreachName(name: string): string {
  if (!isBreachName(name)) {
    throw new VigieError('VIGIE_USAGE', '--breach must be 1-64 characters: letters, digits, "_", "." or "-"');
  }
  return name;
}

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('read leak files, recognise and validate the personal data in them, and report the impact')
    .argument(
      '<files...>',
      'leak files: CSV/TSV, text exports, JSON, JSON Lines (MongoDB Extended JSON, Elasticsearch exports), BSON (mongodump), SQL dumps (mysqldump, also --xml; pg_dump, also -Fc, -Ft and an -Fd directory), SQLite databases, xlsx, xls, ods, LDIF, vCard, pasted query output (mysql -t and -E, psql and psql -x, sqlite3); gzip, zip or tar',
    )
    .requiredOption('--breach <name>', 'the leak name (letters, digits, _ . -)')
    .option('--title <title>', 'the leak title shown to people')
    .option('--date <YYYY-MM-DD>', 'when the breach happened')
    .option('--domain <domain>', 'the domain of the breached organisation')
    .option('--description <text>', 'what happened, for the catalogue')
    .option('--sensitive', 'show this leak only to verified owners')
    .option('--verified', 'the leak is confirmed genuine (HIBP IsVerified; lookups with includeUnverified=false show only these)')
    .option('--dry-run', 'read, recognise and report; store nothing')
    .option('--json', 'print the report as one JSON object on stdout')
    .option('--data <dir>', 'data directory (default: $VIGIE_DATA, else ~/.local/share/vigie)')
    .option('--store <url>', 'store: sqlite:PATH or postgres://... (default: $VIGIE_STORE, else SQLite in the data directory)')
    .option('--append', 'add these files to an existing leak (already ingested files are skipped)')
    .option('--workers <n>', 'worker threads (0 = inline)')
    .option(
      '--memory <size>',
      'memory budget of the whole process, such as 512M or 2G (default: $VIGIE_MEMORY, else 1G); past its share for distinct counts, they become estimates whose standard error the report states',
    )
    .option(
      '--max-skipped <n|p%>',
      'fail past this many malformed records, or past this share of the records read so far, counted from the first record with at least 10 always tolerated (default 5%)',
    )
    .action(async (files: string[], flags: IngestFlags) => {
      const config = ctx.config({ dataDir: flags.data });
      // Every flag is checked before the key and the store are opened: a usage error must not
      // turn into a key or store error, nor leave a store file behind.
      const workers = flags.workers === undefined ? config.workers : parseWorkers(flags.workers);
      const memory = flags.memory === undefined ? config.memory : parseMemory(flags.memory);
      const breach = {
        name: checkBreachName(flags.breach),
        title: flags.title,
        date: checkDate(flags.date),
        domain: flags.domain,
        description: flags.description,
        sensitive: flags.sensitive ?? false,
        verified: flags.verified ?? false,
      };
      const maxSkipped = parseSkipLimit(flags.maxSkipped);
      const world = flags.dryRun ? null : await openWorld(ctx, { data: flags.data, store: flags.store });
      const progress = createProgress(ctx.stderr);
      try {
        const report = await ingest({
          publish: world ? { store: world.store, key: world.key, append: flags.append ?? false } : undefined,
          files,
          breach,
          dryRun: flags.dryRun ?? false,
          workers,
          memory,
          maxSkipped,
          onProgress: (p) => progress.update(p),
        });
        progress.stop();
        ctx.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderImpactText(report)}\n`);
      } finally {
        progress.stop();
        await world?.store.close();
      }
    });
}
