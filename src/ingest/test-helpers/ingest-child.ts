/**
 * An ingest run in a child process by `crash.test.ts`, which kills it with SIGKILL while the
 * store commits. The CLI prints nothing until the end (no progress bar without a terminal),
 * so this child runs the same `ingest()` the CLI runs, into the same SQLite store, and says
 * on stdout when the commit starts and ends: one line per step, no value, ever.
 *
 * Arguments: <data dir> <key hex> <breach> <file>...
 * Lines: `committing`, then `committed <ms>` (how long `Load.commit` took), then `done`.
 * After the ingest it waits a while before closing the store and ending, so that a kill aimed
 * at the commit, or just after it, finds the process still there: on a fast machine the whole
 * tail (commit, run record, close) can take less than the test's aim.
 */
import { ingest } from '../index.js';
import { keyFingerprint } from '../../pseudonymise/index.js';
import { openStore, type Load, type Store } from '../../store/index.js';

const [dataDir, keyHex, breach, ...files] = process.argv.slice(2);

/** The load, whose `commit` announces itself; everything else passes through untouched. */
function announcing(load: Load): Load {
  return new Proxy(load, {
    get(target, prop, receiver) {
      if (prop === 'commit') {
        return async (...args: Parameters<Load['commit']>) => {
          process.stdout.write('committing\n');
          const started = performance.now();
          const result = await target.commit(...args);
          process.stdout.write(`committed ${Math.round(performance.now() - started)}\n`);
          return result;
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

function observed(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'beginLoad') return async (...args: Parameters<Store['beginLoad']>) => announcing(await target.beginLoad(...args));
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

async function main(): Promise<void> {
  if (!dataDir || !keyHex || !breach || files.length === 0) throw new Error('usage: ingest-child <data dir> <key hex> <breach> <file>...');
  const key = Buffer.from(keyHex, 'hex');
  const store = await openStore(undefined, dataDir);
  try {
    // As the CLI's openWorld does: the store is bound to the key's fingerprint.
    await store.checkKey(keyFingerprint(key));
    await ingest({ files, breach: { name: breach }, dryRun: false, workers: 2, publish: { store: observed(store), key, append: false } });
    await new Promise((resolve) => setTimeout(resolve, 2000));
  } finally {
    await store.close();
  }
  process.stdout.write('done\n');
}

main().catch((e: unknown) => {
  // A VigieError's message is safe to print; anything else is named by its class only.
  process.stderr.write(`${e instanceof Error && e.name === 'VigieError' ? e.message : 'internal error'}\n`);
  process.exit(1);
});
