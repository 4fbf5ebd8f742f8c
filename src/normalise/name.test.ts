import { describe, expect, it } from 'vitest';
import { foldName, isPlausibleName } from './name.js';

describe('foldName', () => {
  it.each([
    ['Dupont', 'dupont'],
    ['DUPONT', 'dupont'],
    ['  Jean-Pierre   Martin ', 'jean-pierre martin'],
    ['Jean - Pierre', 'jean-pierre'],
    ['Jean--Pierre', 'jean-pierre'],
    ['JEAN\u2011PIERRE', 'jean-pierre'], // non-breaking hyphen
    ['Jean\u2013Pierre', 'jean-pierre'], // en dash
    ['Lévêque', 'leveque'],
    ['LÉVÊQUE', 'leveque'],
    ['Le\u0301veque', 'leveque'], // already decomposed
    ['Hélène Müller', 'helene muller'],
    ['François', 'francois'],
    ['Œuvray', 'oeuvray'],
    ['Lætitia', 'laetitia'],
    ['Strauß', 'strauss'],
    ['Søren Løkke', 'soren lokke'],
    ['Łukasz Wałęsa', 'lukasz walesa'],
    ['D’Artagnan', "d'artagnan"],
    ["d'Artagnan", "d'artagnan"],
    ['D ’ Artagnan', "d'artagnan"],
    ['D`Artagnan', "d'artagnan"],
    ["N'Diaye", "n'diaye"],
    ['J.-P. Dupont', 'j-p dupont'],
    ['St. Martin', 'st martin'],
    ['\u00a0Marie\u00a0Curie\u202f', 'marie curie'],
    ['Marie\tCurie', 'marie curie'],
    ['-Dupont-', 'dupont'],
    ['Ибрагимов', 'ибрагимов'], // other scripts keep their letters
    ['Nguyễn Văn An', 'nguyen van an'],
  ])('folds %j to %j', (raw, key) => {
    expect(foldName(raw)).toBe(key);
  });

  it('gives one key for every writing of one name', () => {
    const writings = ['Jean-Pierre Lévêque', 'JEAN-PIERRE LEVEQUE', ' jean - pierre  lévêque ', 'Jean\u2010Pierre Le\u0301ve\u0302que'];
    expect(new Set(writings.map(foldName))).toEqual(new Set(['jean-pierre leveque']));
  });

  it('returns a folded ASCII input itself', () => {
    const raw = 'jean-pierre martin';
    expect(foldName(raw)).toBe(raw);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['-', 'joiner only'],
    ["'", 'apostrophe only'],
    ['...', 'dots only'],
    ['Dupont 2', 'digit'],
    ['Louis XIV 1er', 'digit'],
    ['12345', 'number'],
    ['jean@orange.fr', 'symbol'],
    ['Dupont, Jean', 'comma'],
    ['<script>', 'markup'],
    ['Dupont\u0661', 'Arabic-Indic digit'],
    ['Dupont 😀', 'emoji'],
    ['a'.repeat(101), 'key over 100 characters'],
    ['a '.repeat(150), 'input over 200 characters'],
  ])('rejects %j (%s)', (raw) => {
    expect(foldName(raw)).toBeNull();
  });
});

describe('isPlausibleName', () => {
  it.each(['Dupont', 'Marie-Hélène', "N'Diaye", 'D’Artagnan', 'de La Fontaine', ' Éloïse ', 'Ибрагимов', 'A'])('accepts %j', (raw) => {
    expect(isPlausibleName(raw)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['--', 'no letter'],
    ['75001', 'digits'],
    ['Dupont2', 'digit'],
    ['J. Dupont', 'dot'],
    ['jean@orange.fr', 'email'],
    ['06 12 34 56 78', 'phone'],
    ['Dupont 😀', 'emoji'],
    ['a'.repeat(61), 'over 60 characters'],
    ['é'.repeat(61), 'over 60 characters, non-ASCII'],
  ])('rejects %j (%s)', (raw) => {
    expect(isPlausibleName(raw)).toBe(false);
  });
});
