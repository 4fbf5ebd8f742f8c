/**
 * `vigie init`, `ingest` (published), `check` and `breach list|show|retire|delete`, in one
 * data directory, in order: a person's view (docs/architecture.md §2, "a person") and the no-oracle rule
 * (§5.4). The key comes from the key file `init` creates, as in a real install.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../gen/index.js';
import { canonEmail, canonPhone, parseCsv } from '../gen/test-helpers/recount.js';
import type { ImpactReport } from '../report/index.js';
import type { Breach } from '../store/index.js';
import { cliEnv, expectCleanError, runCli, tempDir, TEST_KEY, type CliResult } from './test-helpers/run-cli.js';

const tmp = tempDir('store');
afterAll(tmp.cleanup);
const dataDir = join(tmp.dir, 'data');
const env = cliEnv(dataDir, { key: false });
const csvFile = join(tmp.dir, 'clients-2024.csv');
const ndjsonFile = join(tmp.dir, 'ants-2025.ndjson');

/** HIBP v3's Breach fields (https://haveibeenpwned.com/API/v3#BreachModel). */
const HIBP_FIELDS = [
  'Name',
  'Title',
  'Domain',
  'BreachDate',
  'AddedDate',
  'ModifiedDate',
  'PwnCount',
  'Description',
  'LogoPath',
  'DataClasses',
  'IsVerified',
  'IsFabricated',
  'IsSensitive',
  'IsRetired',
  'IsSpamList',
  'IsMalware',
  'IsSubscriptionFree',
  'IsStealerLog',
];

interface CheckHit {
  Name: string;
  Title: string;
  BreachDate: string | null;
  DataClasses: string[];
}
interface CheckJson {
  kind: 'email' | 'phone';
  found: boolean;
  breaches: CheckHit[];
}

/** One person of the generated files: as written in the CSV, and canonical. */
let person: { email: string; phone: string; nir: string; name: string };

const json = <T>(r: CliResult): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const check = async (value: string): Promise<CheckJson> => json<CheckJson>(await runCli(['check', value, '--json'], env));
const show = async (name: string): Promise<Breach & Record<string, unknown>> => json(await runCli(['breach', 'show', name, '--json'], env));

beforeAll(async () => {
  // The same seed gives the same people in both files; no invalid value and no duplicate, so
  // every record holds every class of its file.
  const same = { rows: 400, seed: 11, invalidShare: 0, duplicateShare: 0 };
  await writeDataset({ out: csvFile, format: 'csv', columns: 'standard', ...same });
  await writeDataset({ out: ndjsonFile, format: 'ndjson', columns: 'ants', ...same });
  const { rows } = parseCsv(readFileSync(csvFile, 'utf8'), ';');
  const row = rows.find((r) => canonPhone(r.get('telephone') ?? '')?.startsWith('+336') && canonEmail(r.get('email') ?? ''))!;
  person = {
    email: canonEmail(row.get('email')!)!,
    phone: canonPhone(row.get('telephone')!)!,
    nir: row.get('nir')!.replace(/\s/g, ''),
    name: `${row.get('prenom')!} ${row.get('nom')!}`,
  };
});

describe('vigie init, ingest, check, breach', () => {
  it('init creates the data directory and a 0600 key file, and is idempotent', async () => {
    const first = await runCli(['init'], env);
    expect(first.code, first.stderr).toBe(0);
    const keyPath = join(dataDir, 'secret.key');
    expect(first.stdout).toContain(`data directory ${dataDir}\n`);
    expect(first.stdout).toContain(`secret key ${keyPath} (created, mode 0600)`);
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyPath);
    const second = await runCli(['init'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`secret key ${keyPath} (kept, mode 0600)`);
    expect(readFileSync(keyPath).equals(key)).toBe(true);
    expect(second.stdout.replace('kept', 'created')).toBe(first.stdout);
  });

  it('ingest publishes both leaks; the same file again changes nothing', async () => {
    const a = ['ingest', csvFile, '--breach', 'Clients-2024', '--title', 'Assurance Exemple', '--date', '2024-09-15'];
    const r1 = json<ImpactReport>(
      await runCli([...a, '--domain', 'assurance-exemple.fr', '--description', 'Fichier clients', '--json', '--workers', '0'], env),
    );
    expect(r1.published).toEqual(expect.objectContaining({ changed: true, pwnCount: r1.people, alreadyIngested: 0 }));
    expect(r1.records).toBe(400);
    // Worker threads compute the pseudonyms of this one.
    const b = ['ingest', ndjsonFile, '--breach', 'ANTS-2025', '--title', 'Titres', '--date', '2025-10-28', '--json', '--workers', '1'];
    const r2 = json<ImpactReport>(await runCli(b, env));
    expect(r2.published?.changed).toBe(true);
    const again = json<ImpactReport>(await runCli([...a, '--json', '--workers', '0'], env));
    expect(again.published).toEqual(expect.objectContaining({ changed: false, inserted: 0, alreadyIngested: 1, pwnCount: r1.people }));
    const text = await runCli([...a, '--workers', '0'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Leak Clients-2024: nothing new[^\n]*\n$/);
    const shown = await show('Clients-2024');
    expect(shown.PwnCount).toBe(r1.people);
    // Three ingests of the same file: one changed the leak, two found nothing new; all committed.
    const runs = shown['Runs'] as { status: string; inputDigests: string[]; finishedAt?: string }[];
    expect(runs.map((r) => r.status)).toEqual(['committed', 'committed', 'committed']);
    expect(new Set(runs.map((r) => r.inputDigests[0])).size).toBe(1);
    expect(runs.every((r) => r.finishedAt)).toBe(true);
  });

  it('check finds an email in any case and with spaces, with the classes of each leak', async () => {
    const plain = await check(person.email);
    expect(plain.kind).toBe('email');
    expect(plain.found).toBe(true);
    // Most recent first.
    expect(plain.breaches.map((b) => b.Name)).toEqual(['ANTS-2025', 'Clients-2024']);
    // Every record holds every class of its file: the person's classes are the leak's.
    for (const hit of plain.breaches) expect([...hit.DataClasses].sort()).toEqual([...(await show(hit.Name)).DataClasses].sort());
    const clients = plain.breaches.find((b) => b.Name === 'Clients-2024')!;
    const ants = plain.breaches.find((b) => b.Name === 'ANTS-2025')!;
    expect(clients.DataClasses).toEqual(expect.arrayContaining(['Email addresses', 'Phone numbers', 'Social security numbers', 'Names']));
    expect(ants.DataClasses).toEqual(expect.arrayContaining(['Email addresses', 'Phone numbers', 'Names']));
    expect(ants.DataClasses).not.toContain('Social security numbers');
    expect(await check(`  ${person.email.toUpperCase()} `)).toEqual(plain);
  });

  it('check finds a phone written nationally with spaces, with +33 and with 0033, as the email', async () => {
    const digits = person.phone.slice(3); // +33 6 12 34 56 78 → 612345678
    const national = `0${digits}`.replace(/(\d{2})(?=\d)/g, '$1 ');
    const byEmail = (await check(person.email)).breaches;
    for (const writing of [national, person.phone, `0033${digits}`]) {
      const r = await check(writing);
      expect(r, writing).toEqual({ kind: 'phone', found: true, breaches: byEmail });
    }
    const text = await runCli(['check', national], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Found in 2 leak\(s\):\n- Titres \(ANTS-2025, 2025-10-28\): .*Phone numbers/);
  });

  it('check of an unknown email exits 0 with "Not found"', async () => {
    const r = await runCli(['check', 'personne.inconnue@exemple.fr'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Not found in any leak Vigie holds.\n');
    expect(await check('personne.inconnue@exemple.fr')).toEqual({ kind: 'email', found: false, breaches: [] });
  });

  it('check refuses a NIR or a name (no oracle), without echoing it', async () => {
    const spaced = person.nir.replace(/^(.)(..)(..)(..)(...)(...)(..)$/, '$1 $2 $3 $4 $5 $6 $7');
    for (const value of [person.nir, spaced, person.name]) {
      const r = await runCli(['check', value], env);
      expectCleanError(r, { code: 'VIGIE_NOT_SEARCHABLE', mentions: ['never searchable'], leaked: [value, person.nir] });
    }
  });

  it('breach list and show speak HIBP', async () => {
    const list = json<(Breach & { Identifiers: number; Files: number })[]>(await runCli(['breach', 'list', '--json'], env));
    expect(list.map((b) => b.Name).sort()).toEqual(['ANTS-2025', 'Clients-2024']);
    for (const b of list) {
      for (const f of HIBP_FIELDS) expect(b, `${b.Name}.${f}`).toHaveProperty(f);
      expect(b.Files).toBe(1);
      expect(b.Identifiers).toBeGreaterThan(0);
    }
    const c = await show('Clients-2024');
    expect(c).toEqual(
      expect.objectContaining({
        Name: 'Clients-2024',
        Title: 'Assurance Exemple',
        Domain: 'assurance-exemple.fr',
        BreachDate: '2024-09-15',
        Description: 'Fichier clients',
        IsSensitive: false,
        IsRetired: false,
      }),
    );
    expect(c.AddedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(c.ModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(c.PwnCount).toBeGreaterThan(300);
    expect(c.DataClasses).toEqual(expect.arrayContaining(['Email addresses', 'Phone numbers', 'Social security numbers']));
    expect(c['FileDigests']).toHaveLength(1);
    const text = await runCli(['breach', 'show', 'Clients-2024'], env);
    expect(text.stdout.split('\n')[0]).toBe('Clients-2024: Assurance Exemple');
  });

  it('breach retire: kept in the catalogue, no longer found by check', async () => {
    const r = await runCli(['breach', 'retire', 'Clients-2024'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Retired Clients-2024.\n');
    expect((await check(person.email)).breaches.map((b) => b.Name)).toEqual(['ANTS-2025']);
    expect((await check(person.phone)).breaches.map((b) => b.Name)).toEqual(['ANTS-2025']);
    expect((await show('Clients-2024')).IsRetired).toBe(true);
    const listed = json<Breach[]>(await runCli(['breach', 'list', '--json'], env));
    expect(listed.map((b) => b.Name)).toEqual(['ANTS-2025']);
    const all = json<Breach[]>(await runCli(['breach', 'list', '--all', '--json'], env));
    expect(all.map((b) => b.Name).sort()).toEqual(['ANTS-2025', 'Clients-2024']);
  });

  it('breach delete: then show is VIGIE_NOT_FOUND, and check finds nothing', async () => {
    const r = await runCli(['breach', 'delete', 'ANTS-2025'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Deleted ANTS-2025.\n');
    expectCleanError(await runCli(['breach', 'show', 'ANTS-2025', '--json'], env), { code: 'VIGIE_NOT_FOUND', mentions: ['"ANTS-2025"'] });
    expectCleanError(await runCli(['breach', 'delete', 'ANTS-2025'], env), { code: 'VIGIE_NOT_FOUND', mentions: ['ANTS-2025'] });
    expectCleanError(await runCli(['breach', 'retire', 'Nope'], env), { code: 'VIGIE_NOT_FOUND', mentions: ['Nope'] });
    expect(await check(person.email)).toEqual({ kind: 'email', found: false, breaches: [] });
  });

  it('refuses another key than the one the store was made with', async () => {
    const r = await runCli(['check', person.email], { ...env, VIGIE_KEY: TEST_KEY });
    expectCleanError(r, { code: 'VIGIE_KEY', mentions: ['key'], leaked: [person.email] });
  });
});
