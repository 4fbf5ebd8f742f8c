/**
 * Dates and numbers as each language writes them, for the page and the alert messages: « 15 avril
 * 2025 », « 12 345 » in French; "15 April 2025", "12,345" in English.
 */
import type { Lang } from './guidance/index.js';

const LOCALE: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

const dates = {
  fr: new Intl.DateTimeFormat(LOCALE.fr, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(LOCALE.en, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const numbers = { fr: new Intl.NumberFormat(LOCALE.fr), en: new Intl.NumberFormat(LOCALE.en) };
const plurals = { fr: new Intl.PluralRules(LOCALE.fr), en: new Intl.PluralRules(LOCALE.en) };

/**
 * A `YYYY-MM-DD` breach date in words, or undefined when there is none or it is not a date.
 * @example formatDate('2025-04-15', 'fr') // '15 avril 2025'
 * @example formatDate('2021-06-01', 'fr') // '1er juin 2021'
 */
export function formatDate(day: string | null, lang: Lang): string | undefined {
  if (day === null || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return undefined;
  const text = dates[lang].format(d);
  // French writes the first of the month as an ordinal: « 1er juin 2021 ».
  return lang === 'fr' && d.getUTCDate() === 1 ? text.replace(/^1 /, '1er ') : text;
}

/** @example formatNumber(12345, 'fr') // '12 345' (narrow no-break space) */
export function formatNumber(n: number, lang: Lang): string {
  return numbers[lang].format(n);
}

/**
 * A count and its noun, singular or plural by the language's rule (French: 0 and 1 are singular).
 * @example countOf(0, ['fuite', 'fuites'], 'fr') // '0 fuite'
 */
export function countOf(n: number, [one, other]: readonly [string, string], lang: Lang): string {
  return `${formatNumber(n, lang)}\u00a0${plurals[lang].select(n) === 'one' ? one : other}`;
}

/** @example capitalise('votre mot de passe') // 'Votre mot de passe' */
export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
