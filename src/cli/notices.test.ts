/**
 * `vigie notices`: the article 34 letters, one per customer of a `match` output (CSV or JSON,
 * written here in the fixed format `match` produces), each with the guidance for *its* classes
 * only; untrusted ids never become a path; templates fail on unknown placeholders by line.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataClassName } from '../dataclasses.js';
import { writeDataset } from '../gen/index.js';
import { generalAdvice, guidanceFor } from '../guidance/index.js';
import { cliEnv, expectCleanError, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('notices');
afterAll(tmp.cleanup);
const env = cliEnv(join(tmp.dir, 'data'));
const at = (name: string): string => join(tmp.dir, name);

interface Letter {
  id: string;
  lang: string;
  subject: string;
  body: string;
  dataClasses: string[];
}

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args, env);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const letters = (out: string): Letter[] =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Letter);

/** Customers as `match` reports them: ids of the organisation's own, some hostile. */
const CUSTOMERS: { id: string; matched: string[]; dataClasses: DataClassName[] }[] = [
  { id: 'C-000142', matched: ['email'], dataClasses: ['Email addresses', 'Names'] },
  { id: 'C-000977', matched: ['phone', 'email'], dataClasses: ['Phone numbers', 'Social security numbers', 'Dates of birth'] },
  { id: '../../etc/passwd', matched: ['nir'], dataClasses: ['Social security numbers', 'Physical addresses'] },
  { id: 'c-000142', matched: ['email'], dataClasses: ['Email addresses'] },
];

function matchCsv(rows: typeof CUSTOMERS): string {
  return `${Papa.unparse({ fields: ['id', 'matched', 'data_classes'], data: rows.map((r) => [r.id, r.matched.join(';'), r.dataClasses.join(';')]) }, { newline: '\n' })}\n`;
}

beforeAll(async () => {
  await writeDataset({ out: at('fuite.csv'), rows: 300, format: 'csv', seed: 5 });
  await ok(['init']);
  await ok(['ingest', at('fuite.csv'), '--breach', 'FuiteLettres', '--title', 'Fuite Lettres', '--date', '2026-10-01', '--workers', '0']);
  await ok(['org', 'set', '--name', 'Mutuelle Exemple SA', '--dpo-name', 'Claire Dubois', '--dpo-email', 'dpo@mutuelle.example.fr']);
  await ok(['incident', 'set', 'FuiteLettres', '--aware', '2026-10-03T08:00Z', '--nature', 'confidentiality', '--origin', 'hacking']);
  writeFileSync(at('matches.csv'), matchCsv(CUSTOMERS));
  writeFileSync(at('matches.json'), JSON.stringify(CUSTOMERS));
}, 60_000);

describe('vigie notices', () => {
  it('names the statement a letter still needs before writing any', async () => {
    expectCleanError(await runCli(['notices', 'FuiteLettres', '--matches', at('matches.csv')], env), {
      code: 'VIGIE_USAGE',
      mentions: ['{{measures}}', '--measures-after'],
      leaked: ['C-000142'],
    });
    await ok(['incident', 'set', 'FuiteLettres', '--measures-after', 'Serveur isolé, accès révoqués, plainte déposée le 3 octobre.']);
  });

  it('writes one letter per customer, with the guidance for its own classes only', async () => {
    const out = letters(await ok(['notices', 'FuiteLettres', '--matches', at('matches.csv')]));
    expect(out.map((l) => l.id)).toEqual(CUSTOMERS.map((c) => c.id));
    for (const [i, c] of CUSTOMERS.entries()) {
      const l = out[i]!;
      expect(l.subject).toBe('Mutuelle Exemple SA : violation de vos données personnelles (Fuite Lettres)');
      expect(l.dataClasses).toEqual([...c.dataClasses].sort());
      const mine = guidanceFor(c.dataClasses, 'fr');
      for (const g of mine) {
        expect(l.body).toContain(g.risk);
        for (const a of g.actions) expect(l.body).toContain(a);
      }
      const others = guidanceFor(['Passwords', 'Bank account numbers', ...CUSTOMERS.flatMap((x) => x.dataClasses)], 'fr').filter(
        (g) => !c.dataClasses.includes(g.dataClass),
      );
      for (const g of others) expect(l.body, `${c.id} / ${g.dataClass}`).not.toContain(g.risk);
      // Article 34(2): nature, contact point, consequences, measures, what to do.
      expect(l.body).toContain('perte de confidentialité');
      expect(l.body).toContain('Claire Dubois, dpo@mutuelle.example.fr');
      expect(l.body).toContain('Serveur isolé, accès révoqués');
      expect(l.body).toContain(generalAdvice('fr').points[0]);
      expect(l.body).not.toMatch(/\{\{|\}\}/);
    }
    expect(out[1]?.body).toContain('retrouvé(e) par votre numéro de téléphone et votre adresse e-mail');
  });

  it('reads the JSON form the same, and writes English', async () => {
    const csv = await ok(['notices', 'FuiteLettres', '--matches', at('matches.csv'), '--lang', 'en']);
    expect(await ok(['notices', 'FuiteLettres', '--matches', at('matches.json'), '--lang', 'en'])).toBe(csv);
    const first = letters(csv)[0]!;
    expect(first.lang).toBe('en');
    expect(first.subject).toBe('Mutuelle Exemple SA: a breach of your personal data (Fuite Lettres)');
    expect(first.body).toContain(guidanceFor(['Email addresses'], 'en')[0]?.risk);
    expect(first.body).toContain('Loss of confidentiality'.toLowerCase());
  });

  it('--out writes a file per customer inside the folder, never where a hostile id points', async () => {
    const dir = at('lettres');
    const r = await runCli(['notices', 'FuiteLettres', '--matches', at('matches.csv'), '--out', dir], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Wrote 4 letter(s) and index.csv to ${dir}.\n`);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(5);
    expect(files).toContain('C-000142.txt');
    expect(files).toContain('index.csv');
    expect(files.filter((f) => /^_[0-9a-f]{16}\.txt$/.test(f))).toHaveLength(2);
    expect(readdirSync(tmp.dir)).not.toContain('etc');
    const index = Papa.parse<string[]>(readFileSync(join(dir, 'index.csv'), 'utf8').trim()).data;
    expect(index[0]).toEqual(['id', 'file', 'subject']);
    const byId = new Map(index.slice(1).map((row) => [row[0], row[1]]));
    expect([...byId.keys()]).toEqual(CUSTOMERS.map((c) => c.id));
    // Two ids that differ only in case do not share a file on a case-insensitive file system.
    expect(byId.get('c-000142')).not.toBe('C-000142.txt');
    const hostile = readFileSync(join(dir, byId.get('../../etc/passwd') ?? 'missing'), 'utf8');
    expect(hostile).toMatch(/^Objet : Mutuelle Exemple SA/);
    expect(hostile).toContain(guidanceFor(['Physical addresses'], 'fr')[0]?.risk);
  });

  it('fills a custom template and refuses an unknown placeholder by its line', async () => {
    writeFileSync(at('court.txt'), 'Subject: Incident {{breach.title}}\n\nClient {{customer.id}} : {{exposed}}.\nContact : {{contact}}\n');
    const out = letters(await ok(['notices', 'FuiteLettres', '--matches', at('matches.csv'), '--template', at('court.txt')]));
    expect(out[0]).toMatchObject({
      subject: 'Incident Fuite Lettres',
      body: 'Client C-000142 : votre adresse e-mail et votre nom et votre prénom.\nContact : Claire Dubois, dpo@mutuelle.example.fr\n',
    });
    writeFileSync(at('faux.txt'), 'Bonjour,\n\n{{customer.id}}\nVoici {{client.nom}}\n');
    expectCleanError(await runCli(['notices', 'FuiteLettres', '--matches', at('matches.csv'), '--template', at('faux.txt')], env), {
      code: 'VIGIE_SYNTAX',
      mentions: ['faux.txt', 'line 4', '{{client.nom}}'],
    });
    writeFileSync(at('ouvert.txt'), 'Bonjour {{customer.id\n');
    expectCleanError(await runCli(['notices', 'FuiteLettres', '--matches', at('matches.csv'), '--template', at('ouvert.txt')], env), {
      code: 'VIGIE_SYNTAX',
      mentions: ['ouvert.txt', 'line 1'],
    });
  });

  it('refuses a bad match file by its line, without quoting an id', async () => {
    const cases: [string, string, string[]][] = [
      ['entete.csv', 'client,email\nC-1,a\n', ['line 1', 'id,matched,data_classes']],
      ['classe.csv', matchCsv([CUSTOMERS[0]!]).replace('Names', 'Shoe sizes'), ['line 2', 'Shoe sizes']],
      ['double.csv', matchCsv([CUSTOMERS[1]!, CUSTOMERS[0]!, CUSTOMERS[1]!]), ['line 4', 'line 2', 'unique']],
      ['vide.csv', 'id,matched,data_classes\nC-1,email,\n', ['line 2', 'no data class']],
      ['champs.csv', 'id,matched,data_classes\nC-1,email\n', ['line 2', '3 fields']],
      ['liste.json', '{"id":"C-1"}', ['top level', 'array']],
      ['element.json', '[{"id":"C-000977","dataClasses":"Names"}]', ['element 1', 'list']],
    ];
    for (const [file, text, mentions] of cases) {
      writeFileSync(at(file), text);
      expectCleanError(await runCli(['notices', 'FuiteLettres', '--matches', at(file)], env), {
        code: 'VIGIE_SYNTAX',
        mentions: [file, ...mentions],
        leaked: ['C-000977', 'C-000142'],
      });
    }
    expectCleanError(await runCli(['notices', 'FuiteLettres', '--matches', at('absent.csv')], env), { code: 'VIGIE_FILE_NOT_FOUND', mentions: ['absent.csv'] });
    expectCleanError(await runCli(['notices', 'Inconnue', '--matches', at('matches.csv')], env), { code: 'VIGIE_NOT_FOUND', mentions: ['Inconnue'] });
  });
});
