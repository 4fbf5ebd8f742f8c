import { isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { EMAIL_PROVIDERS } from './data/index.js';
import { foldForEmail } from './fold.js';
import { generatePeople, type Person } from './people.js';
import { canonDate, canonSiret, nirValid } from './test-helpers/recount.js';

const N = 50_000;
const people: Person[] = [...generatePeople(N, 2024)];

/** RIB key from its definition, with BigInt (independent of checks.ts). */
function ribKeyOk(iban: string): boolean {
  const bank = BigInt(iban.slice(4, 9));
  const branch = BigInt(iban.slice(9, 14));
  const account = BigInt(iban.slice(14, 25));
  return 97n - ((89n * bank + 15n * branch + 3n * account) % 97n) === BigInt(iban.slice(25, 27));
}

const share = (pred: (p: Person) => boolean) => people.filter(pred).length / N;

describe('generatePeople', () => {
  it('is deterministic from the seed', () => {
    expect([...generatePeople(500, 2024)]).toEqual(people.slice(0, 500));
    expect([...generatePeople(50, 2025)]).not.toEqual(people.slice(0, 50));
    expect(people.map((p) => p.id).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('never gives two people the same identifier', () => {
    for (const key of ['nir', 'email', 'phone', 'iban', 'accountId', 'passwordHash'] as const) expect(new Set(people.map((p) => p[key])).size, key).toBe(N);
    const sirets = people.flatMap((p) => (p.siret ? [p.siret] : []));
    expect(new Set(sirets).size).toBe(sirets.length);
  });

  it('gives NIRs with a valid key, consistent with sex, birth year and month', () => {
    let special = 0;
    for (const p of people) {
      expect(nirValid(p.nir), p.nir).toBe(p.nir);
      expect(p.nir[0]).toBe(p.sex === 'M' ? '1' : '2');
      expect(p.nir.slice(1, 3)).toBe(p.birthDate.slice(2, 4));
      const month = Number(p.nir.slice(3, 5));
      const real = Number(p.birthDate.slice(5, 7));
      if (month !== real) {
        special++;
        expect(
          [30, 50, 62, 74].some((base) => month === base + real - 1),
          p.nir,
        ).toBe(true);
      }
    }
    expect(special / N).toBeGreaterThan(0.002);
    expect(special / N).toBeLessThan(0.01);
  });

  it('writes Corsican births as 20 before 1976 and 2A/2B from 1976', () => {
    // Metropolitan departments of birth never include 20: only Corsica writes it.
    const corsica = people.filter((p) => ['20', '2A', '2B'].includes(p.nir.slice(5, 7)));
    expect(corsica.length).toBeGreaterThan(200);
    for (const p of corsica) {
      const year = Number(p.birthDate.slice(0, 4));
      expect(p.nir.slice(5, 7) === '20', `${p.nir} ${year}`).toBe(year < 1976);
    }
    expect(corsica.some((p) => p.nir.slice(5, 7) === '2A')).toBe(true);
    expect(corsica.some((p) => p.nir.slice(5, 7) === '2B')).toBe(true);
  });

  it('includes births overseas (97x + 2-digit commune) and abroad (99 + country)', () => {
    const place = (p: Person) => p.nir.slice(5, 10);
    expect(share((p) => /^97[1-4](0[1-9]|[1-3]\d)$/.test(place(p)))).toBeGreaterThan(0.02);
    expect(share((p) => place(p).startsWith('99'))).toBeGreaterThan(0.05);
    expect(people.every((p) => !/^(00|96|98)/.test(place(p)))).toBe(true);
  });

  it('gives birth dates from 1930 to 2006 that exist', () => {
    for (const p of people) {
      expect(canonDate(p.birthDate)).toBe(p.birthDate);
      expect(p.birthDate >= '1930-01-01' && p.birthDate <= '2006-12-31').toBe(true);
    }
    expect(share((p) => p.birthDate.startsWith('2006'))).toBeGreaterThan(0);
    expect(share((p) => p.birthDate.startsWith('1930'))).toBeGreaterThan(0);
  });

  it('gives canonical e-mails built from the folded names at the usual providers', () => {
    const providers = new Set(EMAIL_PROVIDERS);
    for (const p of people) {
      const [local, domain] = p.email.split('@') as [string, string];
      expect(providers.has(domain), p.email).toBe(true);
      expect(local).toMatch(/^[a-z-]+[._]?[a-z-]+\d*$/);
      expect(local.startsWith(foldForEmail(p.firstName))).toBe(true);
      expect(local.replace(/\d+$/, '').endsWith(foldForEmail(p.lastName))).toBe(true);
    }
    expect(share((p) => /\d@/.test(p.email))).toBeGreaterThan(0.2);
    expect(share((p) => !/\d@/.test(p.email))).toBeGreaterThan(0.2);
  });

  it('gives valid phones, about a tenth overseas, matching the place of residence', () => {
    for (const p of people.slice(0, 10_000)) {
      const parsed = parsePhoneNumberFromString(p.phone);
      expect(parsed?.isValid(), p.phone).toBe(true);
      expect(p.phone.startsWith('+33')).toBe(!p.address.postcode.startsWith('97'));
    }
    const overseas = share((p) => !p.phone.startsWith('+33'));
    expect(overseas).toBeGreaterThan(0.07);
    expect(overseas).toBeLessThan(0.13);
    for (const prefix of ['+590690', '+262692', '+262639', '+594694', '+596696', '+590590', '+262262', '+594594', '+596596'])
      expect(
        people.some((p) => p.phone.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('gives valid FR IBANs with valid RIB keys', () => {
    for (const p of people.slice(0, 10_000)) {
      expect(p.iban).toMatch(/^FR\d{25}$/);
      expect(isValidIBAN(p.iban)).toBe(true);
      expect(ribKeyOk(p.iban), p.iban).toBe(true);
    }
  });

  it('gives a Luhn-valid SIRET (and SIREN) to about a fifth, who employ themselves', () => {
    const withSiret = people.filter((p) => p.siret !== null);
    expect(withSiret.length / N).toBeGreaterThan(0.17);
    expect(withSiret.length / N).toBeLessThan(0.23);
    for (const p of withSiret) {
      expect(canonSiret(p.siret as string)).toBe(p.siret);
      expect(p.employer?.endsWith(` ${p.lastName}`)).toBe(true);
    }
    expect(share((p) => p.employer === null)).toBeGreaterThan(0.1);
  });

  it('fills the remaining fields plausibly', () => {
    for (const p of people.slice(0, 5000)) {
      expect(p.passwordHash).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/);
      expect(p.accountId).toMatch(/^ANTS-\d{9}$/);
      expect(p.gender).toBe(p.sex === 'M' ? 'M.' : 'Mme');
      expect(p.address.postcode).toMatch(/^\d{5}$/);
      expect(p.address.street.length).toBeGreaterThan(5);
    }
    expect(people.some((p) => p.address.street.startsWith('Lieu-dit '))).toBe(true);
    expect(people.some((p) => p.address.street.includes(', '))).toBe(true);
    expect(people.some((p) => / (bis|ter) /.test(p.address.street))).toBe(true);
  });
});
