import { describe, expect, it } from 'vitest';
import { normalisePostcode } from './postcode.js';

describe('normalisePostcode', () => {
  it.each([
    ['75001', '75001'], // Paris 1er
    ['01000', '01000'], // Bourg-en-Bresse, the lowest
    ['20000', '20000'], // Ajaccio
    ['20200', '20200'], // Bastia
    ['95999', '95999'],
    ['97100', '97100'], // Basse-Terre
    ['97133', '97133'], // Saint-Barthélemy
    ['97150', '97150'], // Saint-Martin
    ['97400', '97400'], // Saint-Denis de La Réunion
    ['97500', '97500'], // Saint-Pierre-et-Miquelon
    ['97600', '97600'], // Mamoudzou
    ['98000', '98000'], // Monaco
    ['98800', '98800'], // Nouméa
    [' 69003\u00a0', '69003'],
  ])('accepts %j', (raw, canonical) => {
    expect(normalisePostcode(raw)).toBe(canonical);
  });

  it.each([
    ['00100', 'department 00'],
    ['00999', 'department 00'],
    ['96100', 'department 96'],
    ['97000', 'below the overseas range'],
    ['97700', 'no 977xx'],
    ['97999', 'no 979xx'],
    ['99000', 'no 99xxx'],
    ['7500', 'four digits without the option'],
    ['750011', 'six digits'],
    ['75 001', 'inner space'],
    ['2A000', 'Corsica keeps digits in postcodes'],
    ['F-75001', 'country prefix'],
    ['', 'empty'],
    ['-1000', 'sign'],
  ])('rejects %j (%s)', (raw) => {
    expect(normalisePostcode(raw)).toBeNull();
  });

  it('restores a leading zero dropped by a spreadsheet only when asked', () => {
    expect(normalisePostcode('6000', { allowMissingZero: true })).toBe('06000'); // Nice
    expect(normalisePostcode('1000', { allowMissingZero: true })).toBe('01000');
    expect(normalisePostcode('0999', { allowMissingZero: true })).toBeNull();
    expect(normalisePostcode('75001', { allowMissingZero: true })).toBe('75001');
    expect(normalisePostcode('600', { allowMissingZero: true })).toBeNull();
  });
});
