import { describe, expect, it } from 'vitest';
import { DataClasses, type DataClassName } from '../dataclasses.js';
import { allGuidance, classKey, classShort, DANGER_ORDER, generalAdvice, guidanceFor, LANGS, sortByDanger } from './index.js';

const NAMES = Object.values(DataClasses) as DataClassName[];

/** Services the guidance may send a person to: official French sites, typed, never shortened. */
const OFFICIAL_HOSTS = [
  'www.cybermalveillance.gouv.fr',
  'www.17cyber.gouv.fr',
  'www.masecurite.interieur.gouv.fr',
  'www.cnil.fr',
  'www.service-public.fr',
  'www.internet-signalement.gouv.fr',
  'www.33700.fr',
  'www.signal-spam.fr',
  'www.banque-france.fr',
  'ants.gouv.fr',
  'www.ameli.fr',
  'www.impots.gouv.fr',
  'www.urssaf.fr',
  'www.amf-france.org',
];

describe('allGuidance', () => {
  it.each(LANGS)('covers every data class once, with words, actions and the order of DANGER_ORDER (%s)', (lang) => {
    const all = allGuidance(lang);
    expect(all.map((g) => g.dataClass).sort()).toEqual([...NAMES].sort());
    expect(new Set(DANGER_ORDER).size).toBe(Object.keys(DataClasses).length);
    for (const g of all) {
      expect(g.label.length, g.dataClass).toBeGreaterThan(3);
      expect(g.risk.length, g.dataClass).toBeGreaterThan(40);
      expect(g.actions.length, g.dataClass).toBeGreaterThan(0);
      for (const a of g.actions) expect(a.trim()).toMatch(/[.)]$/);
    }
  });

  it.each(LANGS)('links only to official https addresses (%s)', (lang) => {
    const urls = allGuidance(lang).flatMap((g) => g.resources.map((r) => r.url));
    expect(urls.length).toBeGreaterThan(20);
    for (const raw of urls) {
      const url = new URL(raw);
      expect(url.protocol, raw).toBe('https:');
      expect(OFFICIAL_HOSTS, raw).toContain(url.host);
    }
  });

  it('names the reporting services the brief asks for', () => {
    const urls = new Set(allGuidance('fr').flatMap((g) => g.resources.map((r) => r.url)));
    for (const u of [
      'https://www.cybermalveillance.gouv.fr',
      'https://www.17cyber.gouv.fr',
      'https://www.cnil.fr/fr/plaintes',
      'https://www.service-public.fr',
      'https://www.internet-signalement.gouv.fr',
    ]) {
      expect(urls).toContain(u);
    }
  });

  it('says the same things in both languages: same classes, same resources, same number of actions', () => {
    const fr = allGuidance('fr');
    const en = allGuidance('en');
    fr.forEach((f, i) => {
      const e = en[i];
      expect(e?.dataClass).toBe(f.dataClass);
      expect(e?.actions.length, f.dataClass).toBe(f.actions.length);
      expect(
        e?.resources.map((r) => r.url),
        f.dataClass,
      ).toEqual(f.resources.map((r) => r.url));
    });
  });

  it('is French in French: no-break spaces before colons, vous, no English left', () => {
    const text = allGuidance('fr')
      .flatMap((g) => [g.label, g.risk, ...g.actions])
      .join('\n');
    expect(text).not.toMatch(/ [:;!?]/);
    expect(text).not.toMatch(/« | »/);
    expect(text).toMatch(/vous/);
    expect(text).not.toMatch(/\btu\b|\bton\b|\bta\b/);
    expect(text).not.toMatch(/\b(the|your|password)\b/i);
  });
});

describe('guidanceFor', () => {
  it('keeps the given classes, each once, most dangerous first', () => {
    const got = guidanceFor(['Email addresses', 'Names', 'Passwords', 'Email addresses', 'Social security numbers'], 'fr');
    expect(got.map((g) => g.dataClass)).toEqual(['Passwords', 'Social security numbers', 'Email addresses', 'Names']);
  });

  it('says what a phone and a date of birth make possible (SIM swap) and where to report', () => {
    const [phone] = guidanceFor(['Phone numbers'], 'fr');
    expect(phone?.risk).toMatch(/SIM/);
    expect(phone?.actions.join(' ')).toMatch(/code reçu par SMS/);
    expect(guidanceFor(['Phone numbers'], 'en')[0]?.risk).toMatch(/SIM swap/);
  });

  it('asks the bank to refuse unknown SEPA direct debits for an IBAN', () => {
    expect(guidanceFor(['Bank account numbers'], 'fr')[0]?.actions.join(' ')).toMatch(/prélèvement/);
    expect(guidanceFor(['Bank account numbers'], 'en')[0]?.actions.join(' ')).toMatch(/direct debit/);
  });

  it('sends an ID document to the declaration of loss or theft', () => {
    const [id] = guidanceFor(['National ID card numbers'], 'fr');
    expect(id?.resources.map((r) => r.url)).toContain('https://www.service-public.fr');
    expect(id?.actions.join(' ')).toMatch(/perte ou le vol/);
  });

  it('returns copies: changing one does not change the next answer', () => {
    const [a] = guidanceFor(['Passwords'], 'en');
    a?.actions.push('x');
    expect(guidanceFor(['Passwords'], 'en')[0]?.actions).not.toContain('x');
  });

  it('returns nothing for nothing', () => {
    expect(guidanceFor([], 'fr')).toEqual([]);
  });
});

describe('generalAdvice', () => {
  it.each(LANGS)('tells anybody to expect phishing and to type the official address (%s)', (lang) => {
    const g = generalAdvice(lang);
    expect(g.title.length).toBeGreaterThan(10);
    const text = g.points.join(' ');
    expect(text).toMatch(lang === 'fr' ? /Ne cliquez jamais/ : /Never click/);
    expect(text).toMatch(lang === 'fr' ? /Tapez vous-même l’adresse officielle/ : /Type the official address/);
    expect(text).toMatch(/17Cyber/);
    expect(g.resources.map((r) => r.url)).toEqual([
      'https://www.cybermalveillance.gouv.fr',
      'https://www.17cyber.gouv.fr',
      'https://www.masecurite.interieur.gouv.fr',
    ]);
  });
});

describe('classShort, classKey, sortByDanger', () => {
  it('names every class shortly in both languages', () => {
    for (const n of NAMES) {
      expect(classShort(n, 'fr')).not.toBe(n);
      expect(classShort(n, 'en').length).toBeGreaterThan(1);
      expect(classKey(n)).toBeDefined();
    }
    expect(classShort('Phone numbers', 'fr')).toBe('Numéro de téléphone');
    expect(classShort('Something new', 'fr')).toBe('Something new');
  });

  it('sorts names most dangerous first, unknown names last', () => {
    expect(sortByDanger(['Zebra', 'Names', 'Passwords', 'Alpha'])).toEqual(['Passwords', 'Names', 'Alpha', 'Zebra']);
  });
});
