/**
 * Gender or civility → `'M'` or `'F'`, the two values French registries record (the NIR's sex
 * digit, civil status). Anything else, including non-binary markers and "unknown", gives `null`:
 * the column still counts as "Genders" where the recogniser sees enough valid values.
 */

/** The canonical values. */
export type Gender = 'M' | 'F';

/** Options of {@link normaliseGender}. */
export interface GenderOptions {
  /**
   * Read `1` as M and `2` as F, the INSEE sex code (first digit of the NIR). Only for a column
   * already known to hold genders: elsewhere 1 and 2 are just numbers.
   */
  numericCodes?: boolean;
}

/** Words and civilities, lower-case, trailing dot removed. French first, then English. */
const WORDS: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['m', 'M'],
  ['h', 'M'],
  ['homme', 'M'],
  ['masculin', 'M'],
  ['masc', 'M'],
  ['monsieur', 'M'],
  ['mr', 'M'],
  ['garçon', 'M'],
  ['garcon', 'M'],
  ['male', 'M'],
  ['mâle', 'M'],
  ['man', 'M'],
  ['f', 'F'],
  ['femme', 'F'],
  ['féminin', 'F'],
  ['feminin', 'F'],
  ['fém', 'F'],
  ['fem', 'F'],
  ['madame', 'F'],
  ['mme', 'F'],
  ['mlle', 'F'],
  ['melle', 'F'],
  ['mademoiselle', 'F'],
  ['fille', 'F'],
  ['female', 'F'],
  ['woman', 'F'],
  ['mrs', 'F'],
  ['ms', 'F'],
  ['miss', 'F'],
]);

/**
 * The gender as `'M'` or `'F'`, or `null` if the value is not one.
 * @example
 * normaliseGender('Mme') // 'F'
 * normaliseGender('Homme') // 'M'
 * normaliseGender('2') // null
 * normaliseGender('2', { numericCodes: true }) // 'F'
 */
export function normaliseGender(raw: string, options?: GenderOptions): Gender | null {
  if (raw.length > 24) return null;
  let value = raw.trim().toLowerCase();
  if (value.endsWith('.')) value = value.slice(0, -1);
  const word = WORDS.get(value);
  if (word !== undefined) return word;
  if (options?.numericCodes === true) {
    if (value === '1') return 'M';
    if (value === '2') return 'F';
  }
  return null;
}
