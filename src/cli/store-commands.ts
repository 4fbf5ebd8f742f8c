import type { Command } from 'commander';
import { VigieError } from '../errors.js';
import { CatalogueCache, LookupService, parseAccount } from '../serve/index.js';
import type { BreachEntry, Store } from '../store/index.js';
import type { CliContext } from './context.js';
import { initWorld, withWorld, type StoreFlags } from './world.js';

const STORE_OPTS: [string, string][] = [
  ['--data <dir>', 'data directory (default: $VIGIE_DATA, else ~/.local/share/vigie)'],
  ['--store <url>', 'store: sqlite:PATH or postgres://... (default: $VIGIE_STORE, else SQLite in the data directory)'],
];

/** Adds `--data` and `--store`, which every command that opens the store takes. */
export function withStoreOptions(cmd: Command): Command {
  for (const [flag, help] of STORE_OPTS) cmd.option(flag, help);
  return cmd;
}

function summary(e: BreachEntry) {
  const b = e.breach;
  return { ...b, Identifiers: e.stats.identifiers, Files: e.files.length };
}

function printEntry(ctx: CliContext, e: BreachEntry): void {
  const b = e.breach;
  const lines = [
    `${b.Name}: ${b.Title}${b.IsRetired ? ' [retired]' : ''}${b.IsSensitive ? ' [sensitive]' : ''}`,
    `  breach date ${b.BreachDate ?? 'unknown'}, added ${b.AddedDate}, modified ${b.ModifiedDate}`,
    `  ${b.PwnCount.toLocaleString('en-US')} people, ${e.stats.identifiers.toLocaleString('en-US')} identifiers, ${e.files.length} file(s)`,
    `  data classes: ${b.DataClasses.join(', ') || '-'}`,
  ];
  if (b.Domain) lines.push(`  domain ${b.Domain}`);
  if (b.Description) lines.push(`  ${b.Description}`);
  ctx.stdout.write(lines.join('\n') + '\n');
}

async function mustGet(store: Store, name: string): Promise<BreachEntry> {
  const e = await store.getBreach(name);
  if (!e) throw new VigieError('VIGIE_NOT_FOUND', `no leak named ${JSON.stringify(name.slice(0, 64))}`);
  return e;
}

export function registerStoreCommands(program: Command, ctx: CliContext): void {
  withStoreOptions(program.command('init').description('create the data directory, the secret key (mode 0600) and the store; idempotent')).action(
    async (flags: StoreFlags) => {
      const r = await initWorld(ctx, flags);
      const key = r.keyPath ? `${r.keyPath} (${r.keyCreated ? 'created' : 'kept'}, mode 0600)` : 'from VIGIE_KEY / VIGIE_KEY_FILE';
      ctx.stdout.write(
        `data directory ${r.config.dataDir}\nsecret key ${key}\nstore ${r.config.storeUrl ? 'PostgreSQL' : 'SQLite'}, schema version ${r.schema}\n`,
      );
    },
  );

  withStoreOptions(
    program
      .command('check')
      .description('list the leaks that hold an email address or phone number, with what each exposed')
      .argument('<value>', 'an email address or a phone number, in any usual writing')
      .option('--json', 'print JSON'),
  ).action(async (value: string, flags: StoreFlags & { json?: boolean }) => {
    const account = parseAccount(value);
    await withWorld(ctx, flags, async ({ store, key }) => {
      // The operator's view: sensitive leaks included (the public API leaves them out).
      const lookups = new LookupService(store, key, new CatalogueCache(store, 0));
      const { hits } = await lookups.lookupAccount(account, { includeSensitive: true });
      const found = hits.map(({ breach: b, exposed }) => ({
        Name: b.Name,
        Title: b.Title,
        BreachDate: b.BreachDate,
        Domain: b.Domain,
        IsSensitive: b.IsSensitive,
        DataClasses: exposed,
      }));
      if (flags.json) {
        ctx.stdout.write(`${JSON.stringify({ kind: account.kind, found: found.length > 0, breaches: found })}\n`);
        return;
      }
      if (found.length === 0) {
        ctx.stdout.write(`Not found in any leak Vigie holds.\n`);
        return;
      }
      ctx.stdout.write(`Found in ${found.length} leak(s):\n`);
      for (const f of found) ctx.stdout.write(`- ${f.Title} (${f.Name}, ${f.BreachDate ?? 'date unknown'}): ${f.DataClasses.join(', ')}\n`);
    });
  });

  const breach = program.command('breach').description('manage the leak catalogue');
  withStoreOptions(breach.command('list').description('list the leaks').option('--all', 'include retired leaks').option('--json', 'print JSON')).action(
    async (flags: StoreFlags & { all?: boolean; json?: boolean }) => {
      await withWorld(ctx, flags, async ({ store }) => {
        const entries = await store.listBreaches({ includeRetired: flags.all ?? false });
        if (flags.json) ctx.stdout.write(`${JSON.stringify(entries.map(summary))}\n`);
        else if (entries.length === 0) ctx.stdout.write('No leak yet.\n');
        else for (const e of entries) printEntry(ctx, e);
      });
    },
  );
  withStoreOptions(breach.command('show').description('show one leak and its ingest runs').argument('<name>').option('--json', 'print JSON')).action(
    async (name: string, flags: StoreFlags & { json?: boolean }) => {
      await withWorld(ctx, flags, async ({ store }) => {
        const e = await mustGet(store, name);
        const runs = await store.listRuns({ breach: e.breach.Name, limit: 20 });
        if (flags.json) {
          ctx.stdout.write(`${JSON.stringify({ ...summary(e), Stats: e.stats, FileDigests: e.files, Runs: runs })}\n`);
          return;
        }
        printEntry(ctx, e);
        if (runs.length > 0) ctx.stdout.write('  ingest runs (newest first):\n');
        for (const r of runs) {
          const took = r.finishedAt ? `, ${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s` : '';
          ctx.stdout.write(`  - ${r.startedAt} ${r.status}${took}, ${r.inputDigests.length} file(s)${r.error ? `: ${r.error}` : ''}\n`);
        }
      });
    },
  );
  withStoreOptions(breach.command('delete').description('delete a leak and every pseudonym row of it').argument('<name>')).action(
    async (name: string, flags: StoreFlags) => {
      await withWorld(ctx, flags, async ({ store }) => {
        await store.deleteBreach(name);
        ctx.stdout.write(`Deleted ${name}.\n`);
      });
    },
  );
  withStoreOptions(breach.command('retire').description('retire a leak: kept in the catalogue, its data removed').argument('<name>')).action(
    async (name: string, flags: StoreFlags) => {
      await withWorld(ctx, flags, async ({ store }) => {
        const e = await store.retireBreach(name);
        ctx.stdout.write(`Retired ${e.breach.Name}.\n`);
      });
    },
  );
}
