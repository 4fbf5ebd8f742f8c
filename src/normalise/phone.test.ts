import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phone.js';
import { oracle } from './test-helpers/phone-oracle.js';

/** Each row: one line, then every writing of it that must give that line's E.164. */
const WRITINGS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    '+33612345678',
    [
      '06 12 34 56 78',
      '06.12.34.56.78',
      '06-12-34-56-78',
      '06/12/34/56/78',
      '0612345678',
      '+33 6 12 34 56 78',
      '+33 (0)6 12 34 56 78',
      '+33612345678',
      '+330612345678',
      '0033612345678',
      '0033 (0)6 12 34 56 78',
      '33612345678',
      '\u00a006\u00a012\u00a034\u00a056\u00a078 ',
      '06 12 34 56 78.',
    ],
  ],
  ['+33142685300', ['01 42 68 53 00', '01.42.68.53.00', '+33 1 42 68 53 00', '0033142685300', '(01) 42 68 53 00']],
  ['+33731234567', ['07 31 23 45 67', '+33 7 31 23 45 67']],
  ['+33970123456', ['09 70 12 34 56', '+33 9 70 12 34 56']],
  // Guadeloupe, Saint-Martin, Saint-Barthélemy: +590.
  [
    '+590690123456',
    ['0690 12 34 56', '06 90 12 34 56', '+590 690 12 34 56', '+590 (0)690 12 34 56', '00590690123456', '590690123456', '+33 6 90 12 34 56', '0033690123456'],
  ],
  ['+590691251234', ['0691 25 12 34', '+590 691 25 12 34', '+33 691 25 12 34']],
  ['+590590271234', ['0590 27 12 34', '+590 590 27 12 34']],
  // Réunion and Mayotte: +262.
  ['+262692123456', ['0692 12 34 56', '+262 692 12 34 56', '00262692123456', '262692123456', '+33 692 12 34 56', '+33 (0)6 92 12 34 56']],
  ['+262693001234', ['0693 00 12 34', '+262 693 00 12 34']],
  ['+262262201234', ['0262 20 12 34', '02 62 20 12 34', '+262 262 20 12 34', '+33 2 62 20 12 34']],
  ['+262263001234', ['0263 00 12 34', '+262 263 00 12 34']],
  ['+262639201234', ['0639 20 12 34', '+262 639 20 12 34', '+33 639 20 12 34']],
  ['+262269601234', ['0269 60 12 34', '+262 269 60 12 34']],
  // French Guiana: +594.
  ['+594694201234', ['0694 20 12 34', '+594 694 20 12 34', '00594694201234', '+33 694 20 12 34']],
  ['+594594301234', ['0594 30 12 34', '+594 594 30 12 34']],
  // Martinique: +596.
  ['+596696123456', ['0696 12 34 56', '+596 696 12 34 56', '+33 696 12 34 56']],
  ['+596697123456', ['0697 12 34 56', '+596 697 12 34 56']],
  ['+596596301234', ['0596 30 12 34', '+596 596 30 12 34']],
  // Saint-Pierre-et-Miquelon: +508 and six digits.
  ['+508411234', ['0508 41 12 34', '05 08 41 12 34', '+508 41 12 34', '00508411234', '+508 (0)41 12 34', '+33 5 08 41 12 34']],
  // 08 services stay national whatever code they are written with.
  ['+33800123456', ['0800 12 34 56', '+33 800 12 34 56', '+590 800 12 34 56']],
  // Other countries, through libphonenumber.
  ['+442079460958', ['+44 20 7946 0958', '0044 20 7946 0958', '+44 (0)20 7946 0958']],
  ['+3222345678', ['+32 2 234 56 78', '0032 2 234 56 78']],
  ['+41446681800', ['+41 44 668 18 00']],
  // Writings the fast path does not read go through libphonenumber, with the same rules.
  ['+590690123456', ['Tél : 0690 12 34 56', 'tel:+590-690-12-34-56']],
];

describe('normalisePhone', () => {
  it.each(WRITINGS)('gives %s for every writing of that line', (e164, writings) => {
    for (const w of writings) expect([w, normalisePhone(w)]).toEqual([w, e164]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['06 12 34 56', 'too short'],
    ['06 12 34 56 78 9', 'eleven national digits'],
    ['01 02 03 04 05 06', 'twelve national digits'],
    ['04 01 23 45 67', 'unallocated 040'],
    ['07 01 23 45 67', '070 is not mobile'],
    ['0691 00 12 34', 'unallocated overseas block'],
    ['+262 690 12 34 56', 'Réunion code, Guadeloupe number'],
    ['+590 612 34 56 78', 'Guadeloupe code, metropolitan number'],
    ['+33 6 12 34 56', 'too short after +33'],
    ['+33 00 6 12 34 56 78', 'two trunk zeros'],
    ['+44 20 7946', 'invalid foreign number'],
    ['+999 1234 5678', 'no such country code'],
    ['612345678', 'nine digits without the option'],
    ['552100554', 'a SIREN is not a phone'],
    ['06 12 34 56 78 90 12 34 56 78 90 12 34', 'too many digits'],
    ['06 12 34 56 78'.repeat(10), 'longer than any phone writing'],
    ['jean.dupont@example.fr', 'not a number'],
    ['0x612345678', 'hexadecimal'],
    ['++33612345678', 'doubled plus'],
  ])('rejects %j (%s)', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });

  it('reads nine bare digits as a national number only when asked', () => {
    expect(normalisePhone('612345678', { allowMissingZero: true })).toBe('+33612345678');
    expect(normalisePhone('690123456', { allowMissingZero: true })).toBe('+590690123456');
    expect(normalisePhone('401234567', { allowMissingZero: true })).toBeNull();
    expect(normalisePhone('0612345678', { allowMissingZero: true })).toBe('+33612345678');
  });

  it('reads what a spreadsheet did to a phone, and never guesses lost digits', () => {
    // A country code without `+` (an integer cell cannot hold the `+`): always a phone.
    expect(normalisePhone('33612345678')).toBe('+33612345678');
    expect(normalisePhone('262692123456')).toBe('+262692123456');
    // A missing zero only on nine bare digits, as an integer cell holds them: typed with
    // separators, nine digits are a number one digit short.
    expect(normalisePhone('6 12 34 56 78', { allowMissingZero: true })).toBeNull();
    expect(normalisePhone('6.12.34.56.78', { allowMissingZero: true })).toBeNull();
    // Scientific notation lost digits: damaged, whatever the options.
    for (const v of ['3.36123E+10', '3,36123E+10', '6.12345678E8', '3.36612E+10']) {
      expect(normalisePhone(v), v).toBeNull();
      expect(normalisePhone(v, { allowMissingZero: true }), v).toBeNull();
    }
  });

  it('agrees with libphonenumber on 5,000 generated numbers, every writing giving one E.164', () => {
    let state = 7;
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state;
    };
    const pairs = (d: string, sep: string): string => d.match(/../g)!.join(sep);
    const failures: string[] = [];
    let valid = 0;
    let overseas = 0;
    for (let k = 0; k < 5000; k++) {
      const nsn = String(100_000_000 + (random() % 900_000_000));
      const verdict = oracle(nsn);
      const national = '0' + nsn;
      const writings = [national, pairs(national, ' '), pairs(national, '.'), '+33 ' + nsn, '0033' + nsn, '+33 (0)' + nsn];
      const results = new Set(writings.map((w) => normalisePhone(w)));
      const [result] = results;
      // An overseas line written with its own code must give the same E.164.
      const cc = /^\+(262|590|594|596)/.exec(result ?? '')?.[1];
      if (cc !== undefined) {
        overseas++;
        for (const w of [`+${cc} ${nsn}`, `00${cc}${nsn}`]) results.add(normalisePhone(w));
      }
      const expectedOk = result === null ? verdict.accepted.length === 0 : verdict.accepted.includes(result!);
      if (results.size !== 1 || !expectedOk) failures.push(`${nsn}: ${[...results].join(',')} vs ${verdict.accepted.join('|')}`);
      if (result !== null) valid++;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(valid).toBeGreaterThan(2500);
    expect(valid).toBeLessThan(5000);
    expect(overseas).toBeGreaterThan(10);
  });
});

describe('normalisePhone on identifiers that hold digits', () => {
  it('rejects values with letters, but accepts a leading label', () => {
    expect(normalisePhone('ANTS-577181919')).toBeNull();
    expect(normalisePhone('CLI577181919')).toBeNull();
    expect(normalisePhone('+33 6 12 34 56 78 poste 12')).toBeNull();
    expect(normalisePhone('Tél. : 06 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('portable 06 12 34 56 78')).toBe('+33612345678');
  });
});
