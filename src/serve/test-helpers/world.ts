/**
 * Test helper (imported by tests only): a data directory with leaks published by the real
 * `vigie init` / `vigie ingest` from files of generated people, the store opened on it, and
 * some of those people's identifiers (canonical and as written in the file) to look up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDataset } from '../../gen/index.js';
import { canonEmail, canonPhone, parseCsv } from '../../gen/test-helpers/recount.js';
import { decodeKey } from '../../pseudonymise/index.js';
import { openStore, type Store } from '../../store/index.js';
import { cliEnv, runCli, TEST_KEY, tempDir } from '../../cli/test-helpers/run-cli.js';

interface LeakSpec {
  name: string;
  title: string;
  date: string;
  rows: number;
  seed: number;
  domain?: string;
  sensitive?: boolean;
  verified?: boolean;
}

/** One person of a generated leak: canonical identifiers, and the NIR (never searchable). */
export interface TestPerson {
  email: string;
  phone: string;
  /** The phone as the file wrote it (a national or international writing). */
  phoneWritten: string;
  nir: string;
  lastName: string;
  leak: string;
}

export interface ServeWorld {
  dir: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  storeUrl: string | undefined;
  store: Store;
  key: Buffer;
  /** People of each leak, by leak name: every one has a valid email and a valid phone. */
  people: Map<string, TestPerson[]>;
  close(): Promise<void>;
}

/**
 * Three leaks of one population (the same seed gives the same first people): a verified one,
 * an older unverified one holding its first 120 people, and a sensitive one holding its first 60.
 */
const DEFAULT_LEAKS: LeakSpec[] = [
  { name: 'AgenceTitres', title: 'Agence des titres (démo)', date: '2025-04-15', rows: 300, seed: 41, domain: 'titres.example.fr', verified: true },
  { name: 'ForumDemo', title: 'Forum de démonstration', date: '2021-06-01', rows: 120, seed: 41, domain: 'forum.example.fr' },
  { name: 'MutuelleDemo', title: 'Mutuelle de démonstration', date: '2023-11-02', rows: 60, seed: 41, sensitive: true },
];

/**
 * Publishes the leaks into a new data directory (SQLite, or `storeUrl` with a schema of its
 * own) and opens the store. Leaks with the same seed share people.
 */
export async function makeServeWorld(leaks: LeakSpec[] = DEFAULT_LEAKS, options: { storeUrl?: string; label?: string } = {}): Promise<ServeWorld> {
  const tmp = tempDir(options.label ?? 'serve');
  const dataDir = join(tmp.dir, 'data');
  const env = { ...cliEnv(dataDir), ...(options.storeUrl ? { VIGIE_STORE: options.storeUrl } : {}) };
  const init = await runCli(['init'], env);
  if (init.code !== 0) throw new Error(`vigie init failed: ${init.stderr}`);
  const people = new Map<string, TestPerson[]>();
  for (const leak of leaks) {
    const file = join(tmp.dir, `${leak.name}.csv`);
    await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: leak.rows, seed: leak.seed, invalidShare: 0, duplicateShare: 0 });
    const args = ['ingest', file, '--breach', leak.name, '--title', leak.title, '--date', leak.date, '--workers', '0'];
    if (leak.domain) args.push('--domain', leak.domain);
    if (leak.sensitive) args.push('--sensitive');
    if (leak.verified) args.push('--verified');
    const r = await runCli(args, env);
    if (r.code !== 0) throw new Error(`vigie ingest failed: ${r.stderr}`);
    const { rows } = parseCsv(readFileSync(file, 'utf8'), ';');
    const list: TestPerson[] = [];
    for (const row of rows) {
      const email = canonEmail(row.get('email') ?? '');
      const written = row.get('telephone') ?? '';
      const phone = canonPhone(written);
      if (!email || !phone) continue;
      list.push({ email, phone, phoneWritten: written, nir: row.get('nir') ?? '', lastName: row.get('nom') ?? '', leak: leak.name });
    }
    people.set(leak.name, list);
  }
  const store = await openStore(options.storeUrl, dataDir);
  return {
    dir: tmp.dir,
    dataDir,
    env,
    storeUrl: options.storeUrl,
    store,
    key: decodeKey(TEST_KEY),
    people,
    async close() {
      await store.close();
      tmp.cleanup();
    },
  };
}
