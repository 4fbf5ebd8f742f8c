/**
 * `vigie org`, `vigie incident` and `vigie report`: the CNIL draft of a leak ingested from a
 * generated file carries the counts the store measured and the generator's ground truth, the
 * 72-hour deadline from the stated awareness, every missing field marked, and renders as a PDF
 * that poppler reads back (pages, ink on every page, the numbers in its text).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import type { CnilDraft } from '../notify/index.js';
import { cliEnv, expectCleanError, runCli, tempDir } from './test-helpers/run-cli.js';

const tmp = tempDir('notify');
afterAll(tmp.cleanup);
const env = cliEnv(join(tmp.dir, 'data'));
const at = (name: string): string => join(tmp.dir, name);
let truth: GroundTruth;

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args, env);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const draftOf = async (name: string): Promise<CnilDraft> => JSON.parse(await ok(['report', name, '--format', 'cnil'])) as CnilDraft;

/**
 * Share of inked pixels (darker than light grey) in a binary PGM image as pdftoppm writes it,
 * above the footer: a page holding only its page number counts as blank.
 */
function inkAboveFooter(file: string): number {
  const b = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error(`${file} is not a binary PGM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = b.subarray(header[0].length, header[0].length + width * Math.floor(height * 0.88));
  let ink = 0;
  for (const p of pixels) if (p < 200) ink++;
  return ink / pixels.length;
}

beforeAll(async () => {
  truth = await writeDataset({ out: at('mutuelle.csv'), rows: 1500, format: 'csv', seed: 11, invalidShare: 0.04 });
  await ok(['init']);
  await ok(['ingest', at('mutuelle.csv'), '--breach', 'MutuelleTest', '--title', 'Mutuelle Test', '--date', '2026-10-20', '--workers', '0']);
}, 60_000);

describe('vigie org and vigie incident', () => {
  it('set merges with what was set before, validated, and show reads it back', async () => {
    await ok([
      'org',
      'set',
      '--name',
      'Mutuelle Exemple',
      '--siren',
      '552 100 554',
      '--headcount',
      '420',
      '--processor',
      'Hébergeur Nuage SAS',
      '--processor',
      'Routage Courrier SARL',
    ]);
    await ok(['org', 'set', '--dpo-name', 'Claire Dubois', '--dpo-email', 'dpo@mutuelle.example.fr', '--name', 'Mutuelle Exemple SA']);
    const shown = JSON.parse(await ok(['org', 'show', '--json'])) as Record<string, unknown>;
    expect(shown).toEqual({
      name: 'Mutuelle Exemple SA',
      siren: '552100554',
      headcount: 420,
      processors: ['Hébergeur Nuage SAS', 'Routage Courrier SARL'],
      dpo: { name: 'Claire Dubois', email: 'dpo@mutuelle.example.fr' },
    });
    expect(await ok(['org', 'show'])).toContain('dpo.email: dpo@mutuelle.example.fr\n');
    await ok(['org', 'set', '--processor', '']);
    expect(JSON.parse(await ok(['org', 'show', '--json']))).not.toHaveProperty('processors');
  });

  it('refuses a SIREN whose Luhn key is wrong, a bad date, an unknown origin, contradictions', async () => {
    const cases: [string[], string][] = [
      [['org', 'set', '--siren', '552100555'], '--siren'],
      [['org', 'set', '--headcount', 'beaucoup'], '--headcount'],
      [['org', 'set', '--dpo-email', 'pas-une-adresse'], '--dpo-email'],
      [['incident', 'set', 'MutuelleTest', '--started', '2026-02-30'], '--started'],
      [['incident', 'set', 'MutuelleTest', '--aware', '2026-11-01 14:30'], 'time zone'],
      [['incident', 'set', 'MutuelleTest', '--origin', 'meteorite'], 'lost-equipment'],
      [['incident', 'set', 'MutuelleTest', '--nature', 'confidentiality,beauty'], '--nature'],
      [['incident', 'set', 'MutuelleTest', '--not-informed-ground', '34-3-a'], '--informed no'],
      [['incident', 'set', 'MutuelleTest', '--started', '2026-10-20', '--ended', '2026-10-01'], '--ended'],
      [['incident', 'set', 'MutuelleTest', '--cross-border', 'no', '--countries', 'DE'], '--cross-border yes'],
      [['incident', 'set', '../etc/passwd', '--type', 'initial'], 'breach name'],
    ];
    for (const [args, mention] of cases) expectCleanError(await runCli(args, env), { code: 'VIGIE_USAGE', mentions: [mention] });
    // Nothing was half-written by the refused commands.
    expect(JSON.parse(await ok(['org', 'show', '--json']))).toHaveProperty('siren', '552100554');
  });

  it('--ended ends --ongoing, --informed other than no drops the ground', async () => {
    await ok(['incident', 'set', 'Autre', '--ongoing', '--informed', 'no', '--not-informed-ground', '34-3-c']);
    await ok(['incident', 'set', 'autre', '--ended', '2026-11-02', '--informed', 'planned']);
    expect(JSON.parse(await ok(['incident', 'show', 'AUTRE', '--json']))).toEqual({ ended: '2026-11-02', informed: 'planned' });
  });
});

describe('vigie report', () => {
  it('carries the measured counts, marks every missing field, and computes the deadline from the clock', async () => {
    const bare = await draftOf('MutuelleTest');
    const entry = JSON.parse(await ok(['breach', 'show', 'MutuelleTest', '--json'])) as { PwnCount: number; Stats: { records: number; identifiers: number } };
    expect(bare.people).toMatchObject({ approximate: truth.people, records: truth.rows, identifiers: entry.Stats.identifiers });
    expect(bare.people.approximate).toBe(entry.PwnCount);
    for (const [name, c] of Object.entries(truth.dataClasses)) {
      expect(
        bare.classCounts.find((r) => r.dataClass === name),
        name,
      ).toMatchObject({ records: c.valid, invalid: c.invalid });
    }
    expect(bare.timeline.deadline).toBeNull();
    expect(bare.missing).toEqual(expect.arrayContaining(['notification.type', 'timeline.aware', 'organisation.address', 'origin', 'measures.after']));
    expect(bare.missing).not.toContain('organisation.siren');
    expect(bare.timeline.started).toBe('2026-10-20');

    // Aware 80 hours ago: the deadline (aware + 72 h) has passed by 8 hours, and the reasons are due.
    const aware = new Date(Math.floor(Date.now() / 1000) * 1000 - 80 * 3_600_000);
    await ok([
      'incident',
      'set',
      'MutuelleTest',
      '--type',
      'complementary',
      '--aware',
      aware.toISOString(),
      '--origin',
      'hacking',
      '--cause',
      'external-malicious',
    ]);
    const late = await draftOf('MutuelleTest');
    expect(late.timeline.deadline).toBe(new Date(aware.getTime() + 72 * 3_600_000).toISOString().replace('.000Z', 'Z'));
    expect(late.timeline.deadlinePassed).toBe(true);
    expect(late.timeline.hoursLeft).toBeLessThanOrEqual(-8);
    expect(late.timeline.hoursLeft).toBeGreaterThanOrEqual(-9);
    expect(late.missing).toEqual(expect.arrayContaining(['timeline.delayReasons', 'notification.initialReference']));
    expect(late.missing).not.toContain('origin');

    // Aware 10 hours ago: 61 or 62 hours left, no reasons needed.
    const recent = new Date(Date.now() - 10 * 3_600_000 - 60_000);
    await ok(['incident', 'set', 'MutuelleTest', '--aware', recent.toISOString(), '--type', 'initial']);
    const inTime = await draftOf('MutuelleTest');
    expect(inTime.timeline.deadlinePassed).toBe(false);
    expect(inTime.timeline.hoursLeft).toBe(61);
    expect(inTime.missing).not.toContain('timeline.delayReasons');
    expect(inTime.missing).not.toContain('notification.initialReference');
  });

  it('proposes a severity from the exposed classes, with the form categories and art. 9 data', async () => {
    const d = await draftOf('MutuelleTest');
    const exposed = d.data.categories.filter((c) => c.exposed).map((c) => c.id);
    expect(exposed).toEqual(expect.arrayContaining(['civil-status', 'nir', 'contact-details']));
    expect(d.data.categories.find((c) => c.id === 'location')?.exposed).toBe(false);
    // The standard columns hold a NIR with names and birth dates: durable identity theft.
    expect(d.severity.proposed).toBe('maximum');
    expect(d.severity.reasons.map((r) => r.rule)).toContain('nir-identity');
    expect(d.consequences[0]?.dataClass).toBe('Social security numbers');
  });

  it('writes Markdown and self-contained HTML with the chart, in French and in English', async () => {
    const md = await ok(['report', 'MutuelleTest', '--format', 'markdown']);
    expect(md).toMatch(/^# Notification de violation de données personnelles à la CNIL/);
    expect(md).toContain('**« À compléter »**');
    expect(md).toContain(`- **Nombre approximatif de personnes** : ${truth.people.toLocaleString('fr-FR')}`);
    await ok(['report', 'MutuelleTest', '--format', 'html', '--out', at('draft.html')]);
    const page = readFileSync(at('draft.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|<link|src=/);
    expect((page.match(/class="chart-bar"/g) ?? []).length).toBe(Object.keys(truth.dataClasses).length);
    expect(page).toContain('<span class="missing">« À compléter »</span>');
    const en = await ok(['report', 'MutuelleTest', '--format', 'markdown', '--lang', 'en']);
    expect(en).toContain('**« To be completed »**');
    expect(en).toContain(`- **Approximate number of people** : ${truth.people.toLocaleString('en-GB')}`);
  });

  it('renders a PDF: pages with ink on each, the counts, the deadline and the marks in its text', async () => {
    const aware = '2026-11-20T09:15:00Z';
    await ok(['incident', 'set', 'MutuelleTest', '--aware', aware]);
    const r = await runCli(['report', 'MutuelleTest', '--format', 'pdf', '--out', at('draft.pdf')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('deadline 2026-11-23T09:15:00Z');
    const pdf = readFileSync(at('draft.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    execFileSync('pdftoppm', ['-png', '-r', '30', at('draft.pdf'), at('page')]);
    execFileSync('pdftoppm', ['-gray', '-r', '30', at('draft.pdf'), at('grey')]);
    const pngs = readdirSync(tmp.dir).filter((f) => /^page-\d+\.png$/.test(f));
    expect(pngs.length).toBeGreaterThanOrEqual(2);
    expect(pngs.length).toBeLessThanOrEqual(6);
    for (const f of readdirSync(tmp.dir).filter((f) => /^grey-\d+\.pgm$/.test(f))) {
      const ink = inkAboveFooter(at(f));
      // Text on every page, and no page drowned in black.
      expect(ink, f).toBeGreaterThan(0.003);
      expect(ink, f).toBeLessThan(0.3);
    }
    const text = execFileSync('pdftotext', ['-layout', at('draft.pdf'), '-'], { encoding: 'utf8' }).replace(/\u00a0/g, ' ');
    expect(text).toContain('Notification de violation de données personnelles à la CNIL');
    expect(text).toContain(truth.people.toLocaleString('fr-FR').replace(/\u202f/g, ' '));
    expect(text).toContain('23 novembre 2026 à 10:15 UTC+1');
    expect(text).toContain('dépassée depuis');
    expect(text).toContain('« À compléter »');
    expect(text).toContain('Maximale');
    const nir = truth.dataClasses['Social security numbers'];
    expect(text).toContain((nir?.valid ?? -1).toLocaleString('fr-FR').replace(/\u202f/g, ' '));
  });

  it('refuses an unknown leak, format or language without a stack trace', async () => {
    expectCleanError(await runCli(['report', 'Inconnue', '--format', 'cnil'], env), { code: 'VIGIE_NOT_FOUND', mentions: ['Inconnue'] });
    expectCleanError(await runCli(['report', 'MutuelleTest', '--format', 'docx'], env), { code: 'VIGIE_USAGE', mentions: ['--format'] });
    expectCleanError(await runCli(['report', 'MutuelleTest', '--format', 'pdf', '--lang', 'de'], env), { code: 'VIGIE_USAGE', mentions: ['--lang'] });
    expectCleanError(await runCli(['report', 'MutuelleTest', '--format', 'cnil', '--out', at('absent/dir/x.json')], env), {
      code: 'VIGIE_FILE_NOT_FOUND',
      mentions: ['ENOENT'],
    });
  });
});
