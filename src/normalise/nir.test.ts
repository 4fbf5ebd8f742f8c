import { describe, expect, it } from 'vitest';
import { normaliseNir } from './nir.js';

// Synthetic numbers (no real person): every key below was computed apart from the code under test,
// as 97 − (13 digits mod 97) with 2A → 19 and 2B → 18.
const VALID: ReadonlyArray<readonly [string, string, string]> = [
  ['2 55 08 14 168 025 38', '255081416802538', 'the published specimen (Calvados)'],
  ['1 80 03 2A 004 123 75', '180032A00412375', 'Corse-du-Sud since 1976'],
  ['2 91 11 2B 096 045 63', '291112B09604563', 'Haute-Corse'],
  ['2 91 11 2b 096 045 63', '291112B09604563', 'lower-case 2b'],
  ['1 65 07 20 004 012 85', '165072000401285', 'Corsica before 1976 (20)'],
  ['2 88 05 971 20 012 10', '288059712001210', 'Guadeloupe, three-digit department'],
  ['1 95 12 976 11 003 46', '195129761100346', 'Mayotte'],
  ['2 70 04 988 18 007 90', '270049881800790', 'New Caledonia'],
  ['1 79 02 99 350 045 62', '179029935004562', 'born abroad (Morocco, 99350)'],
  ['7 90 05 99 352 001 31', '790059935200131', 'provisional number, sex digit 7'],
  ['3 85 01 13 055 001 04', '385011305500104', 'sex digit 3, key with a leading zero'],
  ['1 62 20 75 056 123 97', '162207505612397', 'month 20, key 97 (remainder 0)'],
  ['2 45 35 99 109 010 62', '245359910901062', 'month 35'],
  ['2 85 06 75 156 097 87', '285067515609787', 'Paris'],
  ['1.99.01.01.001.001.04', '199010100100104', 'dots'],
  ['2-99-07-13-055-999-18', '299071305599918', 'hyphens, order 999'],
];

describe('normaliseNir', () => {
  it.each(VALID)('accepts %j (%s)', (raw, canonical) => {
    expect(normaliseNir(raw)).toBe(canonical);
  });

  it('returns a compact canonical input unchanged', () => {
    const raw = '255081416802538';
    expect(normaliseNir(raw)).toBe(raw);
    expect(normaliseNir(' 255081416802538\u00a0')).toBe(raw);
  });

  it.each([
    ['2 55 08 14 168 025 39', 'wrong key'],
    ['1 55 08 14 168 025 38', 'sex digit changed: key no longer matches'],
    ['2 55 08 14 168 052 38', 'order digits swapped'],
    ['1 80 03 2B 004 123 75', '2A key used with 2B'],
    ['5 80 03 14 004 123 71', 'sex digit 5'],
    ['0 55 08 14 168 025 38', 'sex digit 0'],
    ['2 55 13 14 168 025 38', 'month 13'],
    ['2 55 00 14 168 025 38', 'month 00'],
    ['2 55 25 14 168 025 38', 'month 25'],
    ['2 55 08 00 168 025 38', 'department 00'],
    ['2 55 08 96 168 025 38', 'department 96'],
    ['2 55 08 14 000 025 38', 'commune 000'],
    ['2 55 08 14 991 025 38', 'commune 991'],
    ['2 55 08 14 168 000 38', 'order 000'],
    ['2 55 08 14 168 025 98', 'key 98'],
    ['2 55 08 14 168 025 00', 'key 00'],
    ['2 88 05 979 20 012 10', 'no overseas department 979'],
    ['2 88 05 983 20 012 10', 'no collectivity 983'],
    ['2 88 05 971 00 012 10', 'overseas commune 00'],
    ['1 79 02 99 995 045 62', 'country code 995'],
    ['1 80 03 2C 004 123 75', 'not a Corsican department'],
    ['2 55 08 14 168 025', 'no key (13 characters)'],
    ['2 55 08 14 168 025 380', '16 characters'],
    ['2 55 08 14 168 025 3X', 'letter in key'],
    ['', 'empty'],
    ['2/55/08/14/168/025/38', 'unknown separator'],
    ['2 55 08 14 168 025 38'.repeat(3), 'far too long'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseNir(raw)).toBeNull();
  });
});
