/**
 * A load run in a child process by `crash.test.ts`, which kills it with SIGKILL at chosen
 * moments. It reports progress on stdout, one line per step.
 *
 * Arguments: <store url> <data dir> <schema> <breach> <mode: forever | full> <key hex> <rows>
 * - forever: writes batches of 10,000 pseudonyms until killed;
 * - full: writes <rows> pseudonyms, says "committing", commits, says "committed".
 */
import { Pseudonymiser } from '../../pseudonymise/index.js';
import { openStore } from '../index.js';

const [url, dataDir, schema, breach, mode, keyHex, rowsText] = process.argv.slice(2);
const BATCH = 10_000;

async function main(): Promise<void> {
  const p = new Pseudonymiser(Buffer.from(keyHex!, 'hex'));
  const store = await openStore(url === 'sqlite:' ? undefined : url, dataDir!, { schema: schema! });
  const load = await store.beginLoad({ breach: { Name: breach! }, append: false, fileDigests: ['c'.repeat(64)] });
  const rows = Number(rowsText);
  const masks = new Uint32Array(BATCH).fill(0b101);
  const out = Buffer.allocUnsafe(BATCH * 16);
  for (let from = 0; mode === 'forever' || from < rows; from += BATCH) {
    for (let i = 0; i < BATCH; i++) p.writeInto(out, i * 16, 'email', `camille.martin${from + i}@example.fr`);
    await load.write(out, masks);
    process.stdout.write(`wrote ${from + BATCH}\n`);
  }
  process.stdout.write('committing\n');
  await load.commit({ records: rows, skipped: 0, people: rows, classCounts: { email: rows }, invalidCounts: {}, formats: ['csv'] });
  process.stdout.write('committed\n');
  await store.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
