import { isValidIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { generatePeople } from './people.js';
import { Rng } from './rng.js';
import { canonDate, canonEmail, canonIban, canonSiret, nirValid } from './test-helpers/recount.js';
import { DATE_FORMATS, breakEmail, breakIban, breakNir, impossibleDate, writeDate, writeEmail, writeIban, writeNir, writeSiret } from './writings.js';

const people = [...generatePeople(2000, 11)];
const rng = new Rng(11);

describe('dates', () => {
  it('writes the three formats of one date', () => {
    expect(writeDate('1985-03-07', 'JJ/MM/AAAA')).toBe('07/03/1985');
    expect(writeDate('1985-03-07', 'AAAA-MM-JJ')).toBe('1985-03-07');
    expect(writeDate('1985-03-07', 'JJ-MM-AAAA')).toBe('07-03-1985');
    for (const p of people) for (const f of DATE_FORMATS) expect(canonDate(writeDate(p.birthDate, f))).toBe(p.birthDate);
  });

  it('makes impossible dates of every kind, and only impossible ones', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const year = 1930 + (i % 77);
      for (const f of DATE_FORMATS) {
        const d = impossibleDate(year, f, rng);
        expect(canonDate(d), d).toBeNull();
        expect(d).toContain(String(year));
        if (f === 'JJ/MM/AAAA') seen.add(d.slice(0, 5));
      }
    }
    expect(seen).toEqual(new Set(['31/04', '31/06', '31/09', '31/11', '30/02', '31/02', '29/02']));
  });
});

describe('e-mails', () => {
  it('are written in forms that trim and lower-case back to the canonical one', () => {
    const forms = new Set<string>();
    for (const p of people) {
      const w = writeEmail(p.email, rng);
      expect(canonEmail(w)).toBe(p.email);
      if (w !== p.email) forms.add(w === p.email.toUpperCase() ? 'upper' : w.trim() !== w ? 'spaces' : 'capitalised');
    }
    expect(forms).toEqual(new Set(['upper', 'spaces', 'capitalised']));
  });

  it('are broken by losing their domain', () => {
    for (const p of people.slice(0, 200)) {
      const w = breakEmail(p.email, rng);
      expect(canonEmail(w)).toBeNull();
      expect(p.email.startsWith(w)).toBe(true);
    }
  });
});

describe('NIR', () => {
  it('is written compact or in carte Vitale groups, both valid', () => {
    const p = people[0]!;
    const spaced = writeNir(p.nir, true);
    expect(spaced).toMatch(/^[12] \d\d \d\d [\dAB]{2} \d{3} \d{3} \d\d$/);
    expect(spaced.replace(/ /g, '')).toBe(p.nir);
    expect(nirValid(spaced)).toBe(p.nir);
    expect(writeNir(p.nir, false)).toBe(p.nir);
  });

  it('is broken by a wrong key only', () => {
    for (const p of people) {
      const b = breakNir(p.nir, rng);
      expect(b.slice(0, 13)).toBe(p.nir.slice(0, 13));
      expect(b).toMatch(/^.{13}(0[1-9]|[1-8]\d|9[0-7])$/);
      expect(nirValid(b), b).toBeNull();
    }
  });
});

describe('IBAN and SIRET', () => {
  it('write IBANs compact or grouped by four, both valid', () => {
    const iban = people[0]!.iban;
    const grouped = writeIban(iban, true);
    expect(grouped).toMatch(/^FR\d\d( \d{4}){5} \d{3}$/);
    expect(canonIban(grouped)).toBe(iban);
  });

  it('break IBANs by their check digits', () => {
    for (const p of people) {
      const b = breakIban(p.iban, rng);
      expect(b.slice(4)).toBe(p.iban.slice(4));
      expect(isValidIBAN(b), b).toBe(false);
    }
  });

  it('write SIRETs compact or as SIREN + NIC groups', () => {
    const siret = people.find((p) => p.siret)!.siret!;
    expect(writeSiret(siret, true)).toMatch(/^\d{3} \d{3} \d{3} \d{5}$/);
    expect(canonSiret(writeSiret(siret, true))).toBe(siret);
  });
});
