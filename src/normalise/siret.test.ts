import { describe, expect, it } from 'vitest';
import { normaliseSiren, normaliseSiret } from './siret.js';

// Luhn results below were computed apart from this code (a separate script).
describe('normaliseSiren', () => {
  it.each([
    ['552100554', '552100554'],
    ['552 100 554', '552100554'],
    ['732.829.320', '732829320'],
    ['130-016-967', '130016967'],
    ['356 000 000', '356000000'], // La Poste's SIREN follows Luhn
  ])('accepts %j', (raw, canonical) => {
    expect(normaliseSiren(raw)).toBe(canonical);
  });

  it.each([
    ['552100555', 'Luhn fails'],
    ['552100545', 'two digits swapped'],
    ['000000000', 'all zeros pass Luhn but identify nothing'],
    ['55210055', 'eight digits'],
    ['5521005540', 'ten digits'],
    ['55210055400013', 'a SIRET is not a SIREN'],
    ['552I00554', 'letter'],
    ['', 'empty'],
    ['552 100 554'.repeat(4), 'too long'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseSiren(raw)).toBeNull();
  });
});

describe('normaliseSiret', () => {
  it.each([
    ['55210055400013', '55210055400013'],
    ['552 100 554 00013', '55210055400013'],
    ['732 829 320 00017', '73282932000017'],
    ['130 016 967 00023', '13001696700023'],
    // La Poste's establishments: digit sum multiple of 5, Luhn not required.
    ['356 000 000 00001', '35600000000001'],
    ['356 000 000 49837', '35600000049837'],
    // Its head office follows Luhn, though its digit sum (26) is not a multiple of 5.
    ['356 000 000 00048', '35600000000048'],
  ])('accepts %j', (raw, canonical) => {
    expect(normaliseSiret(raw)).toBe(canonical);
  });

  it.each([
    ['55210055400014', 'Luhn fails'],
    ['552 100 554 00025', 'Luhn fails'],
    ['35600000000014', 'La Poste: Luhn holds but the digit sum is not a multiple of 5'],
    ['35600000000049', 'La Poste: neither rule holds'],
    ['00000000000000', 'all zeros'],
    ['5521005540001', 'thirteen digits'],
    ['552100554000130', 'fifteen digits'],
    ['552100554', 'a SIREN is not a SIRET'],
    ['552 100 554 0001X', 'letter'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseSiret(raw)).toBeNull();
  });
});

describe('a spreadsheet integer that lost its leading 0s (allowMissingZero)', () => {
  const repair = { allowMissingZero: true };

  it.each([
    ['4734099700189', '04734099700189'],
    ['444735500191', '00444735500191'],
  ])('puts back the 0s of the SIRET %j when its check then passes', (raw, canonical) => {
    expect(normaliseSiret(raw, repair)).toBe(canonical);
    expect(normaliseSiret(raw)).toBeNull();
  });

  it('puts back the 0 of a SIREN', () => {
    expect(normaliseSiren('12345674', repair)).toBe('012345674');
    expect(normaliseSiren('12345674')).toBeNull();
  });

  it.each([
    ['4734099700188', 'its check fails with the 0 back'],
    ['473 409 970 0189', 'separators: not an integer cell'],
    ['44473550019', 'four 0s missing: not taken for a lost prefix'],
    ['4.734099700189E+12', 'scientific notation: digits lost'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseSiret(raw, repair)).toBeNull();
  });

  it('leaves whole numbers as they are', () => {
    expect(normaliseSiret('04734099700189', repair)).toBe('04734099700189');
    expect(normaliseSiret('55210055400013', repair)).toBe('55210055400013');
  });
});
