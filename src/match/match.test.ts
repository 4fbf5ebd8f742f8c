/**
 * `vigie match` end to end, on both engines: a leak written by the generator is ingested, then
 * the organisation's customer file, built from a known subset of the leak's people plus people
 * who are not in it, in other column names, other writings and other formats (an .xlsx written
 * by openpyxl; a `;` CSV with upper-case emails, `+33 6 …` phones, one full-name column), is
 * matched. Every customer in the leak must come out, with exactly the identifiers it holds, and
 * no one else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePeople, Rng, writeDataset, writeDate, writePhone, type Person } from '../gen/index.js';
import { cliEnv, runCli, TEST_KEY, tempDir } from '../cli/test-helpers/run-cli.js';
import { decodeKey } from '../pseudonymise/index.js';
import { openStore } from '../store/index.js';
import { matchFile, type CustomerMatch } from './index.js';
import { createTestDatabase } from '../serve/test-helpers/pg.js';
import { makeBook, sheet } from '../read/xlsx/test-helpers/book.js';

const PYTHON = '/usr/bin/python3';
const hasOpenpyxl = spawnSync(PYTHON, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0;
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '';

const LEAK_ROWS = 1200;
const LEAK_SEED = 5;
const leakPeople = [...generatePeople(LEAK_ROWS, LEAK_SEED)];
/** What the leak's `standard` columns expose of each of its records (every value valid). */
const LEAK_CLASSES = ['Dates of birth', 'Email addresses', 'Names', 'Phone numbers', 'Physical addresses', 'Social security numbers'];

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const nameDob = (p: Person) =>
  `${fold(`${p.firstName} ${p.lastName}`)
    .split(/[\s-]+/)
    .sort()
    .join(' ')}|${p.birthDate}`;
const taken = {
  email: new Set(leakPeople.map((p) => p.email)),
  phone: new Set(leakPeople.map((p) => p.phone)),
  nir: new Set(leakPeople.map((p) => p.nir)),
  namedob: new Set(leakPeople.map(nameDob)),
};
/** People of another seed who share no identifier with the leak's: truly absent from it. */
const outsiders = [...generatePeople(600, 77)]
  .filter((p) => !taken.email.has(p.email) && !taken.phone.has(p.phone) && !taken.nir.has(p.nir) && !taken.namedob.has(nameDob(p)))
  .slice(0, 300);

type Kind = 'email' | 'phone' | 'nir' | 'namedob';
interface Customer {
  id: string;
  person: Person;
  kinds: Kind[];
  inLeak: boolean;
}

/** Which identifiers each customer's row holds: some only one, some all. */
const PATTERNS: Kind[][] = [['email'], ['phone'], ['namedob'], ['nir'], ['email', 'phone', 'nir', 'namedob'], ['email', 'phone']];

function customers(): Customer[] {
  const out: Customer[] = [];
  // Every third leak person, shuffled with the outsiders.
  const inLeak = leakPeople.filter((_, i) => i % 3 === 1);
  const all = [...inLeak.map((p) => ({ p, inLeak: true })), ...outsiders.map((p) => ({ p, inLeak: false }))];
  const rng = new Rng(99, 1);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  all.forEach(({ p, inLeak }, i) => {
    out.push({ id: `C${String(i + 1).padStart(5, '0')}`, person: p, kinds: PATTERNS[i % PATTERNS.length]!, inLeak });
  });
  return out;
}

const spacedNir = (n: string) => `${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10, 13)} ${n.slice(13)}`;

/** The rows of the customer file, in the organisation's own writings (not the leak's). */
function cells(c: Customer, rng: Rng, twoNameColumns: boolean): string[] {
  const p = c.person;
  const has = (k: Kind) => c.kinds.includes(k);
  const name = has('namedob')
    ? twoNameColumns
      ? [p.lastName.toUpperCase(), p.firstName]
      : [`${p.firstName} ${p.lastName.toUpperCase()}`]
    : twoNameColumns
      ? ['', '']
      : [''];
  return [
    c.id,
    ...name,
    has('namedob') ? writeDate(p.birthDate, 'AAAA-MM-JJ') : '',
    has('email') ? p.email.toUpperCase() : '',
    has('phone') ? writePhone(p.phone, 'intl-spaced', rng) : '',
    has('nir') ? spacedNir(p.nir) : '',
    p.address.city,
  ];
}

function writeCsv(dir: string, list: Customer[]): string {
  const rng = new Rng(3, 3);
  const lines = ['Réf client;NOM;Prénom;Né(e) le;Courriel;Tél. portable;N° sécurité sociale;Commune'];
  for (const c of list) lines.push(cells(c, rng, true).join(';'));
  const file = join(dir, 'clients.csv');
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

/** An .xlsx written by openpyxl (the real tool), one full-name column. */
function writeXlsx(dir: string, list: Customer[]): string {
  const rng = new Rng(4, 4);
  const rows = [['Identifiant', 'Nom complet', 'Date de naissance', 'E-mail', 'Mobile', 'NIR', 'Ville'], ...list.map((c) => cells(c, rng, false))];
  const json = join(dir, 'rows.json');
  writeFileSync(json, JSON.stringify(rows));
  const file = join(dir, 'clients.xlsx');
  const py = `import json, sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Clients'
for r in json.load(open(sys.argv[1])): ws.append([v if v != '' else None for v in r])
notes = wb.create_sheet('Notes'); notes.append(['Export du CRM']); notes.append(['à usage interne'])
wb.save(sys.argv[2])`;
  execFileSync(PYTHON, ['-c', py, json, file]);
  return file;
}

interface Row {
  id: string;
  matched: string[];
  dataClasses: string[];
}

function expected(list: Customer[]): Row[] {
  const order: Kind[] = ['email', 'phone', 'nir', 'namedob'];
  return list
    .filter((c) => c.inLeak)
    .map((c) => ({ id: c.id, matched: order.filter((k) => c.kinds.includes(k)), dataClasses: LEAK_CLASSES }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function parseCsv(text: string): Row[] {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  expect(parsed.data[0]).toEqual(['id', 'matched', 'data_classes']);
  return parsed.data
    .slice(1)
    .map(([id, m, d]) => ({ id: id!, matched: m!.split(';'), dataClasses: d!.split(';') }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function runEngine(engine: 'sqlite' | 'postgres') {
  describe(`vigie match (${engine})`, () => {
    const tmp = tempDir(`match-${engine}`);
    let env: NodeJS.ProcessEnv;
    let drop: (() => Promise<void>) | undefined;
    const list = customers();

    beforeAll(async () => {
      env = cliEnv(tmp.dir);
      if (engine === 'postgres') {
        const db = await createTestDatabase('match');
        env['VIGIE_STORE'] = db.url;
        drop = db.drop;
      }
      const leak = join(tmp.dir, 'fuite.csv');
      await writeDataset({ out: leak, rows: LEAK_ROWS, seed: LEAK_SEED, format: 'csv', invalidShare: 0, duplicateShare: 0 });
      const r = await runCli(['ingest', leak, '--breach', 'FuiteDemo', '--workers', '0'], env);
      expect(r.code).toBe(0);
    }, 120_000);
    afterAll(async () => {
      await drop?.();
      tmp.cleanup();
    });

    it('matches a `;` CSV exactly: every customer in the leak, with the identifiers it holds, and no one else', async () => {
      expect(list.filter((c) => c.inLeak).length).toBe(400);
      expect(list.filter((c) => !c.inLeak).length).toBe(300);
      const file = writeCsv(tmp.dir, list);
      const r = await runCli(['match', file, '--breach', 'fuitedemo', '--id-column', 'Réf client'], env);
      expect(r.code).toBe(0);
      expect(parseCsv(r.stdout)).toEqual(expected(list));
      expect(r.stderr).toContain('700 rows read');
      expect(r.stderr).toContain('400 customers found in FuiteDemo');
      // Per kind: customers holding one, and found by it (only the leak's people are).
      const holding = (k: Kind, inLeak?: boolean) => list.filter((c) => c.kinds.includes(k) && (inLeak === undefined || c.inLeak === inLeak)).length;
      expect(r.stderr).toContain(`email: ${holding('email')} rows with one, ${holding('email', true)} found`);
      expect(r.stderr).toContain(`namedob: ${holding('namedob')} rows with one, ${holding('namedob', true)} found`);
      // Nothing of the file on stderr: no id, no value.
      for (const c of list.slice(0, 50)) {
        expect(r.stderr).not.toContain(c.id);
        expect(r.stderr).not.toContain(c.person.email);
      }
    });

    it('gives the same customers, in file order, in small batches and lookups, inline and on a worker thread', async () => {
      const file = writeCsv(tmp.dir, list);
      const store = await openStore(env['VIGIE_STORE'], tmp.dir);
      try {
        const runs: { workers: number; batchRows?: number; lookupPseudonyms?: number }[] = [
          { workers: 0 },
          // Batches of 37 rows and lookups of at least 50 pseudonyms: a lookup takes one batch, or two.
          { workers: 0, batchRows: 37, lookupPseudonyms: 50 },
          { workers: 1, batchRows: 37, lookupPseudonyms: 50 },
        ];
        const results: { ids: string[]; rows: Row[]; calls: number }[] = [];
        for (const o of runs) {
          const found: CustomerMatch[] = [];
          let calls = 0;
          const summary = await matchFile({
            file,
            breach: 'FuiteDemo',
            idColumn: 'Réf client',
            store,
            key: decodeKey(TEST_KEY),
            ...o,
            onMatches: (batch) => {
              calls++;
              found.push(...batch);
            },
          });
          expect(summary.matched).toBe(400);
          const rows = found.map((m) => ({ id: m.id, matched: [...m.matched], dataClasses: [...m.dataClasses] }));
          results.push({ ids: found.map((m) => m.id), rows, calls });
        }
        const inFileOrder = list.filter((c) => c.inLeak).map((c) => c.id);
        for (const r of results) {
          expect(r.ids).toEqual(inFileOrder);
          expect([...r.rows].sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected(list));
        }
        expect(results[0]!.calls).toBe(1);
        expect(results[1]!.calls).toBeGreaterThan(10);
        expect(results[2]!.calls).toBe(results[1]!.calls);
      } finally {
        await store.close();
      }
    });

    it.runIf(!hasOpenpyxl && ci)('needs python3-openpyxl on CI (apt-get install -y python3-openpyxl)', () => {
      throw new Error(`${PYTHON} cannot import openpyxl: install python3-openpyxl`);
    });

    it('matches gzipped JSON Lines (other field names, one full-name field) into a JSON file', async () => {
      const rng = new Rng(6, 6);
      const fields = ['customer_ref', 'full_name', 'birth', 'mail', 'gsm', 'ssn', 'town'];
      const lines = list.map((c) => JSON.stringify(Object.fromEntries(cells(c, rng, false).map((v, i) => [fields[i], v === '' ? null : v]))));
      const plain = join(tmp.dir, 'clients.ndjson');
      writeFileSync(plain, `${lines.join('\n')}\n`);
      execFileSync('gzip', ['-f', plain]);
      const out = join(tmp.dir, 'result-ndjson.json');
      const r = await runCli(['match', `${plain}.gz`, '--breach', 'FuiteDemo', '--id-column', 'customer_ref', '--json', '--out', out], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      const rows = (JSON.parse(readFileSync(out, 'utf8')) as Row[]).sort((a, b) => a.id.localeCompare(b.id));
      expect(rows).toEqual(expected(list));
      expect(r.stderr).toContain('skipped: 0\n');
    });

    it('matches a workbook of inline-string cells, skipping its sheet without the id column (openpyxl-free)', async () => {
      const rng = new Rng(4, 4);
      const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      const col = (i: number) => String.fromCharCode(65 + i);
      const rows = [['Identifiant', 'Nom complet', 'Date de naissance', 'E-mail', 'Mobile', 'NIR', 'Ville'], ...list.map((c) => cells(c, rng, false))];
      const xml = rows
        .map(
          (r, y) =>
            `<row r="${y + 1}">${r.map((v, x) => (v === '' ? '' : `<c r="${col(x)}${y + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`,
        )
        .join('');
      const notes =
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Export du CRM</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>interne</t></is></c></row>';
      const file = join(tmp.dir, 'clients-inline.xlsx');
      writeFileSync(
        file,
        await makeBook({
          sheets: [
            { name: 'Clients', xml: sheet(xml) },
            { name: 'Notes', xml: sheet(notes) },
          ],
        }),
      );
      const r = await runCli(['match', file, '--breach', 'FuiteDemo', '--id-column', 'identifiant', '--json'], env);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as Row[]).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected(list));
      expect(r.stderr).toMatch(/skipped: 1 \(table without the id column: 1\)/);
    });

    it.skipIf(!hasOpenpyxl)('matches an .xlsx (one full-name column) into a JSON file, skipping the sheet without the id column', async () => {
      const file = writeXlsx(tmp.dir, list);
      const out = join(tmp.dir, 'result.json');
      const r = await runCli(['match', file, '--breach', 'FuiteDemo', '--id-column', 'identifiant', '--json', '--out', out], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      const rows = (JSON.parse(readFileSync(out, 'utf8')) as Row[]).sort((a, b) => a.id.localeCompare(b.id));
      expect(rows).toEqual(expected(list));
      expect(r.stderr).toMatch(/skipped: 1 \(table without the id column: 1\)/);
    });

    it('names the missing id column, and an unknown leak, without writing the output', async () => {
      const file = writeCsv(tmp.dir, list.slice(0, 10));
      const out = join(tmp.dir, 'none.csv');
      const r = await runCli(['match', file, '--breach', 'FuiteDemo', '--id-column', 'numero_client', '--out', out], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/clients\.csv: no column named "numero_client" \(--id-column\); the file has: .*Courriel/);
      expect(r.stderr).not.toContain('at ');
      expect(() => readFileSync(out)).toThrow();
      const u = await runCli(['match', file, '--breach', 'Inconnue', '--id-column', 'Réf client'], env);
      expect(u.code).toBe(1);
      expect(u.stderr).toContain('no leak named Inconnue [VIGIE_NOT_FOUND]');
    });

    it('quotes ids that need it and skips rows without an id, saying so', async () => {
      const p = leakPeople[0]!;
      const file = join(tmp.dir, 'quoted.csv');
      writeFileSync(file, `client,email\n"Dupont, ""Jean""",${p.email.toUpperCase()}\n,${leakPeople[1]!.email}\nX1,${outsiders[0]!.email}\n`);
      const r = await runCli(['match', file, '--breach', 'FuiteDemo', '--id-column', 'client'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`id,matched,data_classes\n"Dupont, ""Jean""",email,${LEAK_CLASSES.join(';')}\n`);
      expect(r.stderr).toContain('skipped: 1 (empty id: 1)');
    });
  });
}

runEngine('sqlite');
runEngine('postgres');
