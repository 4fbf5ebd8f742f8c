/**
 * Guidance per data class, for the API, the web page and the alerts: what a class in criminal
 * hands makes possible and what to do, in French and in English, most dangerous class first.
 */
import { DataClasses, type DataClassKey, type DataClassName } from '../dataclasses.js';
import { en } from './content-en.js';
import { fr } from './content-fr.js';
import type { ClassText, GeneralAdvice, GuidanceContent, GuidanceItem, Lang } from './types.js';

export type { ClassText, GeneralAdvice, GuidanceItem, Lang, Resource } from './types.js';
export { LANGS } from './types.js';

/**
 * Most dangerous first: what opens an account or money at once (a password, bank details),
 * then what lets someone pose as you durably (identity numbers), then what makes phishing
 * convincing, then what exposes little on its own.
 */
export const DANGER_ORDER: readonly DataClassKey[] = [
  'password',
  'iban',
  'nir',
  'idCard',
  'passport',
  'drivingLicence',
  'taxId',
  'health',
  'phone',
  'dob',
  'address',
  'email',
  'name',
  'income',
  'employer',
  'siret',
  'accountId',
  'username',
  'ip',
  'gender',
];

const KEY_OF = new Map<string, DataClassKey>((Object.keys(DataClasses) as DataClassKey[]).map((k) => [DataClasses[k], k]));
const RANK = new Map<DataClassKey, number>(DANGER_ORDER.map((k, i) => [k, i]));

/**
 * French typography: a no-break space before a colon and inside « », a narrow one before ; ! ?
 * so that a phone screen never starts a line with a lone colon.
 */
function typeset(text: string): string {
  return text
    .replace(/ :/g, '\u00a0:')
    .replace(/ ([;!?])/g, '\u202f$1')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
}

function typesetContent(c: GuidanceContent): GuidanceContent {
  const text = (t: ClassText): ClassText => ({
    short: typeset(t.short),
    label: typeset(t.label),
    risk: typeset(t.risk),
    actions: t.actions.map(typeset),
    resources: t.resources.map((r) => ({ name: typeset(r.name), url: r.url })),
  });
  const classes = Object.fromEntries((Object.keys(c.classes) as DataClassKey[]).map((k) => [k, text(c.classes[k])])) as Record<DataClassKey, ClassText>;
  const general = c.general;
  return {
    classes,
    general: {
      title: typeset(general.title),
      points: general.points.map(typeset),
      resources: general.resources.map((r) => ({ name: typeset(r.name), url: r.url })),
    },
  };
}

const CONTENT: Record<Lang, GuidanceContent> = { fr: typesetContent(fr), en };

function item(key: DataClassKey, lang: Lang): GuidanceItem {
  const t = CONTENT[lang].classes[key];
  return { dataClass: DataClasses[key], label: t.label, risk: t.risk, actions: [...t.actions], resources: t.resources.map((r) => ({ ...r })) };
}

/** The key of a class name (`'Phone numbers'` → `'phone'`), or undefined for a name Vigie does not know. */
export function classKey(name: string): DataClassKey | undefined {
  return KEY_OF.get(name);
}

/**
 * The guidance for the given classes, each once, most dangerous first; unknown names are skipped.
 * @example guidanceFor(['Email addresses', 'Passwords'], 'fr').map((g) => g.dataClass) // ['Passwords', 'Email addresses']
 */
export function guidanceFor(classes: readonly DataClassName[], lang: Lang): GuidanceItem[] {
  const keys = new Set<DataClassKey>();
  for (const name of classes) {
    const key = KEY_OF.get(name);
    if (key) keys.add(key);
  }
  return [...keys].sort((a, b) => (RANK.get(a) ?? 0) - (RANK.get(b) ?? 0)).map((k) => item(k, lang));
}

/** The guidance for every data class Vigie knows, most dangerous first. */
export function allGuidance(lang: Lang): GuidanceItem[] {
  return DANGER_ORDER.map((k) => item(k, lang));
}

/** What anybody in a leak should do, whatever was exposed. */
export function generalAdvice(lang: Lang): GeneralAdvice {
  const g = CONTENT[lang].general;
  return { title: g.title, points: [...g.points], resources: g.resources.map((r) => ({ ...r })) };
}

/**
 * A class in a short noun, for lists and charts; a name Vigie does not know is returned as is.
 * @example classShort('Phone numbers', 'fr') // 'Numéro de téléphone'
 */
export function classShort(name: string, lang: Lang): string {
  const key = KEY_OF.get(name);
  return key ? CONTENT[lang].classes[key].short : name;
}

/**
 * Sorts class names most dangerous first (unknown names last, alphabetically).
 * @example sortByDanger(['Names', 'Passwords']) // ['Passwords', 'Names']
 */
export function sortByDanger<T extends string>(names: readonly T[]): T[] {
  const rank = (n: string) => {
    const k = KEY_OF.get(n);
    return k === undefined ? DANGER_ORDER.length : (RANK.get(k) ?? 0);
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
