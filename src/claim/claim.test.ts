/**
 * `vigie verify-claim` end to end: random-digit samples are `fabricated`; a reshuffled subset of
 * an ingested leak, in other field names, other writings and another format, is `recycled` from
 * that leak with its share; a new genuine sample from the generator is `plausible`. The overlap
 * goes through the store, so it runs on both engines; the sample is never stored.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimAssessment } from './index.js';
import { generatePeople, Rng, writeDataset, writeDate, writePhone } from '../gen/index.js';
import { cliEnv, runCli, tempDir } from '../cli/test-helpers/run-cli.js';
import { createTestDatabase } from '../serve/test-helpers/pg.js';

const LEAK_ROWS = 1000;

async function assess(file: string, env: NodeJS.ProcessEnv): Promise<ClaimAssessment> {
  const r = await runCli(['verify-claim', file, '--json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ClaimAssessment;
}

/** Made-up values of the usual shapes: any 15 digits, any 0 + 9 digits, letters at a made-up domain. */
function randomSample(dir: string, rows: number, opts: { nirOnly?: boolean } = {}): string {
  const rng = new Rng(11, 2);
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + rng.int(26))).join('');
  const lines = ['nom;prenom;email;telephone;date_naissance;nir'];
  for (const p of generatePeople(rows, 404)) {
    const nir = `${1 + rng.int(2)}${rng.digits(14)}`;
    if (opts.nirOnly) lines.push([p.lastName, p.firstName, p.email, writePhone(p.phone, 'any', rng), writeDate(p.birthDate, 'JJ/MM/AAAA'), nir].join(';'));
    else {
      const email = `${letters(4 + rng.int(6))}${rng.digits(2)}@${letters(5)}.${rng.pick(['com', 'net', 'fr'])}`;
      lines.push([p.lastName, p.firstName, email, `0${rng.digits(9)}`, `${1 + rng.int(28)}/${1 + rng.int(12)}/${1900 + rng.int(120)}`, nir].join(';'));
    }
  }
  const file = join(dir, opts.nirOnly ? 'sample-nir.csv' : 'sample-random.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function runEngine(engine: 'sqlite' | 'postgres') {
  describe(`vigie verify-claim (${engine})`, () => {
    const tmp = tempDir(`claim-${engine}`);
    let env: NodeJS.ProcessEnv;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      env = cliEnv(tmp.dir);
      if (engine === 'postgres') {
        const db = await createTestDatabase('claim');
        env['VIGIE_STORE'] = db.url;
        drop = db.drop;
      }
      const leak = join(tmp.dir, 'ancienne.csv');
      await writeDataset({ out: leak, rows: LEAK_ROWS, seed: 5, format: 'csv', invalidShare: 0, duplicateShare: 0 });
      const r = await runCli(['ingest', leak, '--breach', 'FuiteAncienne', '--title', 'Fuite ancienne', '--workers', '0'], env);
      expect(r.code).toBe(0);
    }, 120_000);
    afterAll(async () => {
      await drop?.();
      tmp.cleanup();
    });

    it('says fabricated for random digits and made-up emails, with the evidence', async () => {
      const a = await assess(randomSample(tmp.dir, 500), env);
      expect(a.verdict).toBe('fabricated');
      expect(a.validity.nir!.share).toBeLessThan(0.05);
      expect(a.evidence.join('\n')).toMatch(/of the social security numbers \(\d+ of 500\) fail their key/);
      expect(a.evidence.join('\n')).toMatch(/of the emails are at the usual French providers .* hold the name on their row/);
      expect(a.overlaps).toEqual([]);
    });

    it('says fabricated for random NIR among otherwise genuine values', async () => {
      const a = await assess(randomSample(tmp.dir, 300, { nirOnly: true }), env);
      expect(a.verdict).toBe('fabricated');
      expect(a.validity.email!.share).toBe(1);
      expect(a.evidence[0]).toMatch(/social security numbers .* fail their key/);
    });

    it('says recycled for a reshuffled subset of the leak in other names, writings and format, naming the leak and its share', async () => {
      const people = [...generatePeople(LEAK_ROWS, 5)].filter((_, i) => i % 2 === 0);
      const rng = new Rng(8, 8);
      for (let i = people.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [people[i], people[j]] = [people[j]!, people[i]!];
      }
      const records = people.map((p) => ({
        nom_complet: `${p.firstName} ${p.lastName.toUpperCase()}`,
        naissance: writeDate(p.birthDate, 'AAAA-MM-JJ'),
        courriel: p.email.toUpperCase(),
        portable: writePhone(p.phone, 'intl-00', rng),
        secu: p.nir,
      }));
      const file = join(tmp.dir, 'vente.json');
      writeFileSync(file, JSON.stringify({ data: records }));
      const a = await assess(file, env);
      expect(a.verdict).toBe('recycled');
      expect(a.overlaps.map((o) => o.breach)).toEqual(['FuiteAncienne']);
      // Every identifier of the subset is in the leak: emails, phones, NIR, name + date of birth.
      expect(a.overlaps[0]!.identifiers).toEqual({ n: 4 * people.length, of: 4 * people.length, share: 1 });
      expect(a.evidence[0]).toBe(`100 % of the sample's identifiers (2,000 of 2,000) are in FuiteAncienne`);
      const text = await runCli(['verify-claim', file], env);
      expect(text.stdout).toMatch(/^Verdict: recycled\n/);
      expect(text.stdout).toContain('FuiteAncienne (Fuite ancienne): 100 % (2,000 of 2,000)');
      // Nothing of the sample in the output.
      for (const p of people.slice(0, 20)) {
        expect(text.stdout).not.toContain(p.email);
        expect(text.stdout.toLowerCase()).not.toContain(p.nir);
      }
    });

    it('says plausible for a new genuine sample (another seed)', async () => {
      const file = join(tmp.dir, 'nouvelle.csv');
      await writeDataset({ out: file, rows: 800, seed: 31, format: 'csv', delimiter: ',' });
      const a = await assess(file, env);
      expect(a.verdict).toBe('plausible');
      expect(a.validity.nir!.share).toBeGreaterThan(0.9);
      expect(a.consistency.nirBirth!.share).toBeGreaterThan(0.95);
      expect(a.duplicates.rows.share).toBeGreaterThan(0);
      expect(a.evidence.join('\n')).toMatch(/its values validate like real data: social security numbers 9\d/);
      expect(a.overlaps.every((o) => o.identifiers.share < 0.2)).toBe(true);
    });

    it('counts the duplicates exactly: rows repeating a person (their first identifier), values repeated per kind', async () => {
      const [a, b, c, d] = [...generatePeople(4, 77)];
      // A row's first identifier stands for its person: rows 2 and 5 repeat rows 1 and 3; row 4's
      // phone was seen before but never as a row's first identifier, so row 4 is a new person.
      const rows = [
        [a!.email, a!.phone],
        [a!.email, b!.phone],
        [c!.email, ''],
        ['', a!.phone],
        [c!.email, d!.phone],
      ];
      const file = join(tmp.dir, 'doublons.csv');
      writeFileSync(file, `email;telephone\n${rows.map((r) => r.join(';')).join('\n')}\n`);
      const r = await assess(file, env);
      expect(r.duplicates.rows).toEqual({ n: 2, of: 5, share: 0.4 });
      expect(r.duplicates.kinds).toEqual({ email: { n: 2, of: 4, share: 0.5 }, phone: { n: 1, of: 4, share: 0.25 } });
      expect(Object.keys(r.duplicates.kinds)).toEqual(['email', 'phone']);
    });

    it('names an unreadable sample without a stack trace', async () => {
      const r = await runCli(['verify-claim', join(tmp.dir, 'absent.csv')], env);
      expect(r.code).toBe(66);
      expect(r.stderr).toMatch(/absent\.csv: .*\[VIGIE_FILE_NOT_FOUND\]\n$/);
    });
  });
}

runEngine('sqlite');
runEngine('postgres');
