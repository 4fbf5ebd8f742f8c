/**
 * Columns without a usable header whose values have no checksum (names, addresses, postcodes,
 * cities, civilities): recognised by shape and by their neighbours, as a person reading a
 * headerless export would (a 5-digit code beside a street address is a postcode; the word
 * after it is the city; short capitalised words are names).
 */
import { isPlausibleName, normaliseGender, normalisePostcode } from '../normalise/index.js';
import { foldHeader } from './headers.js';
import type { FieldKind } from './kinds.js';

const STREET_WORDS =
  'rue|avenue|av\\.?|bd|boulevard|chemin|ch\\.?|all[ée]e|impasse|imp\\.?|place|pl\\.?|route|rte|quai|cours|square|sq\\.?|voie|passage|sentier|rond[- ]point|esplanade|parvis|promenade|cit[ée]|domaine|faubourg|fg|mont[ée]e|villa';
/** A street address: a number then a street word anywhere (`Bât. D, 88 rue ...`), or a named place. */
const STREET = new RegExp(
  `(?:^|[\\s,])\\d{1,4}\\s*(?:bis|ter|quater|[a-d])?\\s*,?\\s*(?:${STREET_WORDS})\\b|^(?:lieu[- ]dit|hameau|r[ée]sidence|lotissement|b[aâ]t(?:iment)?\\.?)\\s`,
  'i',
);

function shareOf(values: string[], test: (v: string) => boolean): number {
  if (values.length === 0) return 0;
  let n = 0;
  for (const v of values) if (test(v.trim())) n++;
  return n / values.length;
}

export interface Unnamed {
  kind: FieldKind;
  confidence: number;
}

/** Headers of numbers that are no postcode whatever their digits: keys, amounts, counts. */
const NOT_POSTCODE =
  /\b(id|fk|pk|no|num|numero|n|ref|montant|amount|total|somme|sum|prix|price|cout|cost|tarif|nb|nombre|count|qty|quantite|stock|solde|balance|points?|score|duree|length|annee|year)\b/;

/**
 * Kinds for the undecided columns (`undecided[i]` true) of one table, from their sampled
 * values; names and cities only for `headerless` columns. Five digits are a postcode in a
 * headerless column, or under a header that names no key, amount or count in a table with
 * an address (`addressContext`): `payment_id` or `montant` values are not. Returns a sparse
 * array: only decided columns have an entry.
 */
export function inferUnnamed(
  values: string[][],
  undecided: boolean[],
  headerless: boolean[],
  headers: (string | null)[],
  addressContext: boolean,
): (Unnamed | undefined)[] {
  const out: (Unnamed | undefined)[] = [];
  const street = values.map((v, i) => (undecided[i] ? shareOf(v, (x) => STREET.test(x)) : 0));
  const postcodeAllowed = (i: number): boolean => headerless[i] === true || (addressContext && !NOT_POSTCODE.test(foldHeader(headers[i] ?? '')));
  const post = values.map((v, i) => (undecided[i] && postcodeAllowed(i) ? shareOf(v, (x) => /^\d{5}$/.test(x) && normalisePostcode(x) !== null) : 0));
  const plausible = values.map((v, i) => (undecided[i] ? shareOf(v, (x) => x.length <= 40 && isPlausibleName(x)) : 0));
  const gender = values.map((v, i) => (undecided[i] ? shareOf(v, (x) => normaliseGender(x) !== null) : 0));
  values.forEach((_, i) => {
    if (!undecided[i]) return;
    if (street[i]! >= 0.6) out[i] = { kind: 'address', confidence: street[i]! };
    else if (post[i]! >= 0.9) out[i] = { kind: 'postcode', confidence: post[i]! };
    else if (gender[i]! >= 0.9) out[i] = { kind: 'gender', confidence: gender[i]! };
  });
  let names = 0;
  values.forEach((_, i) => {
    // Words under an unknown header (`statut`, `agence`) are not names: only headerless columns.
    if (!undecided[i] || !headerless[i] || out[i] || plausible[i]! < 0.9) return;
    // A word column beside a postcode column is the city (`75011;Paris`, `Paris;75011`).
    const besidePostcode = out[i - 1]?.kind === 'postcode' || out[i + 1]?.kind === 'postcode';
    if (besidePostcode) out[i] = { kind: 'city', confidence: plausible[i]! };
    else if (names < 2) out[i] = { kind: names++ === 0 ? 'lastName' : 'firstName', confidence: plausible[i]! };
  });
  return out;
}
