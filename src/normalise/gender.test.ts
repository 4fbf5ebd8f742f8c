import { describe, expect, it } from 'vitest';
import { normaliseGender } from './gender.js';

describe('normaliseGender', () => {
  it.each([
    ['M', 'M'],
    ['m', 'M'],
    ['H', 'M'],
    ['Homme', 'M'],
    ['HOMME', 'M'],
    ['Masculin', 'M'],
    ['Monsieur', 'M'],
    ['M.', 'M'],
    ['Mr', 'M'],
    ['Mr.', 'M'],
    ['male', 'M'],
    ['Male', 'M'],
    [' garçon ', 'M'],
    ['F', 'F'],
    ['f', 'F'],
    ['Femme', 'F'],
    ['Féminin', 'F'],
    ['FEMININ', 'F'],
    ['Madame', 'F'],
    ['Mme', 'F'],
    ['Mme.', 'F'],
    ['Mlle', 'F'],
    ['Melle', 'F'],
    ['Mademoiselle', 'F'],
    ['female', 'F'],
    ['Mrs', 'F'],
    ['Ms.', 'F'],
  ])('reads %j as %s', (raw, gender) => {
    expect(normaliseGender(raw)).toBe(gender);
  });

  it('reads the INSEE codes 1 and 2 only when the column is known to be gender', () => {
    expect(normaliseGender('1')).toBeNull();
    expect(normaliseGender('2')).toBeNull();
    expect(normaliseGender('1', { numericCodes: true })).toBe('M');
    expect(normaliseGender(' 2 ', { numericCodes: true })).toBe('F');
    expect(normaliseGender('3', { numericCodes: true })).toBeNull();
    expect(normaliseGender('0', { numericCodes: true })).toBeNull();
  });

  it.each(['', ' ', 'X', 'Mx', 'N/A', 'inconnu', 'Dupont', 'Monsieur Dupont', 'hommes', 'Homme'.repeat(10)])('rejects %j', (raw) => {
    expect(normaliseGender(raw)).toBeNull();
  });
});
