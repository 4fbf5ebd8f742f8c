/**
 * Properties of the embedded lists that the ground truth relies on: distinct counts are
 * exact only if different list entries never fold to the same key.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BOTH_COMMENTS, COMPANIES, EMAIL_COMMENTS, PHONE_COMMENTS, PLAIN_COMMENTS, TRADES } from './data/index.js';
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES } from './data/index.js';
import { COMMUNES, LIEUX_DITS, STREET_NAMES, STREET_TYPES } from './data/index.js';
import { foldForEmail, nameWords } from './fold.js';

const FIRST = [...FEMALE_FIRST_NAMES, ...MALE_FIRST_NAMES];

describe('name lists', () => {
  it('fold to distinct e-mail forms within each list', () => {
    expect(new Set(FIRST.map(foldForEmail)).size).toBe(FIRST.length);
    expect(new Set(SURNAMES.map(foldForEmail)).size).toBe(SURNAMES.length);
  });

  it('share no word between given names and surnames', () => {
    const firstWords = new Set(FIRST.flatMap(nameWords));
    const shared = SURNAMES.flatMap(nameWords).filter((w) => firstWords.has(w));
    expect(shared).toEqual([]);
  });

  it('give every (given name, surname) pair its own sorted-word key', () => {
    const keys = new Set<string>();
    for (const f of FIRST) for (const l of SURNAMES) keys.add([...nameWords(f), ...nameWords(l)].sort().join(' '));
    expect(keys.size).toBe(FIRST.length * SURNAMES.length);
  });

  it('give every pair and separator its own e-mail local part', () => {
    const locals = new Set<string>();
    for (const f of FIRST.map(foldForEmail)) for (const l of SURNAMES.map(foldForEmail)) for (const sep of ['.', '_', '']) locals.add(f + sep + l);
    expect(locals.size).toBe(FIRST.length * SURNAMES.length * 3);
  });

  it('fold accents, ligatures, apostrophes and particles the way people type addresses', () => {
    expect(foldForEmail('Éloïse')).toBe('eloise');
    expect(foldForEmail("N'Diaye")).toBe('ndiaye');
    expect(foldForEmail('Le Gall')).toBe('legall');
    expect(foldForEmail('Cœurdevey')).toBe('coeurdevey');
    expect(foldForEmail('Lætitia')).toBe('laetitia');
    expect(foldForEmail('Weiß')).toBe('weiss');
    expect(foldForEmail('Jean-Baptiste')).toBe('jean-baptiste');
    for (const n of [...FIRST, ...SURNAMES]) expect(foldForEmail(n)).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

describe('all embedded text', () => {
  const all = [
    ...FIRST,
    ...SURNAMES,
    ...STREET_NAMES,
    ...STREET_TYPES,
    ...LIEUX_DITS,
    ...COMPANIES,
    ...TRADES,
    ...PLAIN_COMMENTS,
    ...EMAIL_COMMENTS,
    ...PHONE_COMMENTS,
    ...BOTH_COMMENTS,
    ...COMMUNES.map((c) => c.city),
  ];

  it('exists in Windows-1252 (no character would be replaced)', () => {
    for (const s of all) expect(iconv.decode(iconv.encode(s, 'windows-1252'), 'windows-1252')).toBe(s);
  });

  it('has no backslash, so SQL scripts load the same in MySQL and PostgreSQL', () => {
    expect(all.filter((s) => s.includes('\\'))).toEqual([]);
  });

  it('keeps plain comments free of e-mails and phone-like digit runs', () => {
    for (const c of PLAIN_COMMENTS) {
      expect(c).not.toContain('@');
      expect(c).not.toMatch(/\d{3}|\d[ .-]\d\d[ .-]\d/);
    }
  });

  it('includes Corsican and overseas communes with their real postcodes', () => {
    const pc = (city: string) => COMMUNES.filter((c) => c.city === city).flatMap((c) => c.postcodes);
    expect(pc('Ajaccio')).toContain('20000');
    expect(pc('Bastia')).toContain('20200');
    expect(pc('Pointe-à-Pitre')).toEqual(['97110']);
    expect(pc('Saint-Denis')).toEqual(expect.arrayContaining(['97400', '93200']));
    expect(pc('Cayenne')).toEqual(['97300']);
    expect(pc('Fort-de-France')).toEqual(['97200']);
    expect(pc('Mamoudzou')).toEqual(['97600']);
    expect(pc("L'Haÿ-les-Roses")).toEqual(['94240']);
    expect(pc('Lyon')).toContain('69003');
    for (const c of COMMUNES) for (const p of c.postcodes) expect(p).toMatch(/^(0[1-9]|[1-8]\d|9[0-5]|97)\d{3}$/);
  });
});
