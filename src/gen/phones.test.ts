import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import type { PhoneZone } from './data/index.js';
import { PHONE_STYLES, PhoneAllocator, breakPhone, writePhone } from './phones.js';
import { Rng } from './rng.js';

const ZONES: PhoneZone[] = ['1', '2', '3', '4', '5', 'GP', 'MQ', 'GF', 'RE', 'YT'];

/** The region a number belongs to, from its E.164 form. */
function regionOf(e164: string): CountryCode {
  if (e164.startsWith('+33')) return 'FR';
  if (e164.startsWith('+590')) return 'GP';
  if (e164.startsWith('+596')) return 'MQ';
  if (e164.startsWith('+594')) return 'GF';
  return /^\+262(639|269)/.test(e164) ? 'YT' : 'RE';
}

function allocateMany(perZone: number): string[] {
  const alloc = new PhoneAllocator(77);
  const rng = new Rng(5);
  const out: string[] = [];
  for (const zone of ZONES) for (let i = 0; i < perZone; i++) out.push(alloc.allocate(zone, i % 2 === 0, rng));
  return out;
}

describe('PhoneAllocator', () => {
  const numbers = allocateMany(400);

  it('allocates valid numbers of the right type in every zone', () => {
    for (const n of numbers) {
      const p = parsePhoneNumberFromString(n);
      expect(p?.isValid(), n).toBe(true);
      expect(p?.country, n).toBe(regionOf(n));
      expect(p?.number).toBe(n);
    }
    const types = (zone: string) => new Set(numbers.filter((n) => regionOf(n) === zone).map((n) => parsePhoneNumberFromString(n)?.getType()));
    for (const zone of ['GP', 'MQ', 'GF', 'RE', 'YT']) expect(types(zone)).toEqual(new Set(['MOBILE', 'FIXED_LINE']));
  });

  it('never hands out a number twice', () => {
    expect(new Set(numbers).size).toBe(numbers.length);
    // A small block spent entirely (Guadeloupe landlines: 100 000 numbers) falls back to mobiles, still unique.
    const alloc = new PhoneAllocator(1);
    const rng = new Rng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 100_100; i++) seen.add(alloc.allocate('GP', false, rng));
    expect(seen.size).toBe(100_100);
    expect([...seen].filter((n) => n.startsWith('+33')).length).toBe(100);
  });

  it('never gives a metropolitan number whose national writing reads as overseas or Saint-Pierre-et-Miquelon', () => {
    for (const n of numbers.filter((x) => x.startsWith('+33'))) expect(`0${n.slice(3)}`, n).not.toMatch(/^0(26[2389]|508|59|639|69)/);
  });

  it('gives landlines of the resident zone (01 Île-de-France … 05 south-west)', () => {
    const alloc = new PhoneAllocator(3);
    const rng = new Rng(3);
    for (const z of ['1', '2', '3', '4', '5'] as const) expect(alloc.allocate(z, false, rng).slice(3, 4)).toBe(z);
  });
});

describe('writePhone', () => {
  const numbers = allocateMany(60);
  const rng = new Rng(9);

  it('gives, in every style, a writing that parses back to the same E.164 in its region', () => {
    for (const n of numbers) {
      const region = regionOf(n);
      for (const style of PHONE_STYLES) {
        for (let k = 0; k < 2; k++) {
          const w = writePhone(n, style, rng);
          const national = !w.startsWith('+') && !w.startsWith('00');
          const parsed = national ? parsePhoneNumberFromString(w, region) : parsePhoneNumberFromString(w.startsWith('00') ? `+${w.slice(2)}` : w);
          expect(parsed?.number, `${style}: ${w}`).toBe(n);
          expect(parsed?.isValid(), w).toBe(true);
        }
      }
    }
  });

  it('writes the usual French forms', () => {
    const n = '+33612345678';
    expect(writePhone(n, 'national-spaced', rng)).toBe('06 12 34 56 78');
    expect(writePhone(n, 'national-dotted', rng)).toBe('06.12.34.56.78');
    expect(writePhone(n, 'national-dashed', rng)).toBe('06-12-34-56-78');
    expect(writePhone(n, 'national-compact', rng)).toBe('0612345678');
    expect(writePhone(n, 'intl-spaced', rng)).toBe('+33 6 12 34 56 78');
    expect(writePhone(n, 'intl-compact', rng)).toBe('+33612345678');
    expect(writePhone(n, 'intl-00', rng)).toBe('0033 6 12 34 56 78');
    const gp = '+590690123456';
    expect(writePhone(gp, 'intl-spaced', rng)).toBe('+590 690 12 34 56');
    const seen = new Set(Array.from({ length: 40 }, () => writePhone(gp, 'national-spaced', rng)));
    expect(seen).toEqual(new Set(['0690 12 34 56', '06 90 12 34 56']));
  });

  it('mixes styles when asked for any', () => {
    const seen = new Set(Array.from({ length: 500 }, () => writePhone('+33612345678', 'any', rng)));
    expect(seen.size).toBe(PHONE_STYLES.length);
  });

  it('breaks a number by dropping a digit, which no longer validates', () => {
    for (const n of numbers) {
      const region = regionOf(n);
      for (const style of PHONE_STYLES) {
        const w = breakPhone(writePhone(n, style, rng));
        expect(w.replace(/\D/g, '').length).toBe(writePhone(n, style, rng).replace(/\D/g, '').length - 1);
        const national = !w.startsWith('+') && !w.startsWith('00');
        const parsed = national ? parsePhoneNumberFromString(w, region) : parsePhoneNumberFromString(w.startsWith('00') ? `+${w.slice(2)}` : w);
        expect(parsed?.isValid() ?? false, w).toBe(false);
      }
    }
  });
});
