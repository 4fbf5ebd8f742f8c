/**
 * The letters to the people concerned (GDPR art. 34): one per customer found by `vigie match`,
 * filled with what *their* record exposed and the guidance for those classes (the web page's
 * source), plus what the organisation stated. Art. 34(2) asks for, in clear language: the
 * nature of the breach, the DPO or another contact point, the likely consequences, and the
 * measures taken or proposed, including what the person can do to limit the harm.
 */
import { createHash } from 'node:crypto';
import { DataClasses, type DataClassName } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import { classKey, generalAdvice, guidanceFor, type Lang } from '../guidance/index.js';
import type { BreachEntry } from '../store/index.js';
import type { MatchRow } from './matches.js';
import type { Incident, OrgProfile } from './statements.js';
import { fill, PLACEHOLDERS, type Placeholder, type Template } from './template.js';
import { DRAFT_TEXTS } from './texts.js';

/** The default letters: article 34's content, in the order a person reads it. */
export const DEFAULT_TEMPLATES: Record<Lang, string> = {
  fr: `Objet : {{org.name}} : violation de vos données personnelles ({{breach.title}})

Madame, Monsieur,

Nous vous informons que {{org.name}} a subi une violation de données personnelles : {{nature}}. Nous en avons eu connaissance le {{incident.aware}}.

Vous êtes concerné(e) : vous figurez dans les données exposées, retrouvé(e) par {{matched}}. Les données vous concernant qui ont été exposées sont : {{exposed}}.

Ce que ces données permettent à une personne malveillante :
{{consequences}}

Ce que nous avons fait et ce que nous faisons :
{{measures}}

Ce que nous vous recommandons de faire :
{{actions}}

Et, quelles que soient les données exposées :
{{advice}}

Pour être aidé(e) :
{{resources}}

Pour toute question sur cette violation et vos données, contactez {{contact}}. Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr).

Nous vous prions de nous excuser pour cette situation.

{{org.name}}, le {{today}}
`,
  en: `Subject: {{org.name}}: a breach of your personal data ({{breach.title}})

Dear customer,

We are writing to tell you that {{org.name}} has suffered a personal data breach: {{nature}}. We became aware of it on {{incident.aware}}.

You are concerned: you are in the exposed data, found by {{matched}}. The data about you that was exposed is: {{exposed}}.

What this data lets a malicious person do:
{{consequences}}

What we have done and are doing:
{{measures}}

What we recommend you do:
{{actions}}

And whatever was exposed:
{{advice}}

Where to get help:
{{resources}}

For any question about this breach and your data, contact {{contact}}. You may also lodge a complaint with the CNIL, the French data protection authority (www.cnil.fr).

We apologise for this situation.

{{org.name}}, {{today}}
`,
};

/** How to give a placeholder its value, for the error that lists what is missing. */
const HOW: Partial<Record<Placeholder, string>> = {
  'org.name': 'vigie org set --name',
  'org.address': 'vigie org set --address',
  contact: 'vigie org set --dpo-name/--dpo-email (or --contact-name/--contact-email)',
  'incident.started': 'vigie incident set NAME --started',
  'incident.aware': 'vigie incident set NAME --aware',
  nature: 'vigie incident set NAME --nature',
  measures: 'vigie incident set NAME --measures-after',
};

const WORDS: Record<Lang, { and: string; kinds: Record<string, string> }> = {
  fr: { and: ' et ', kinds: { 'name+dob': 'vos nom, prénom et date de naissance', nameDob: 'vos nom, prénom et date de naissance' } },
  en: { and: ' and ', kinds: { 'name+dob': 'your name and date of birth', nameDob: 'your name and date of birth' } },
};

/** The identifier kinds `match` writes, by the class whose guidance names them. */
const KIND_CLASS: Record<string, DataClassName> = {
  email: DataClasses.email,
  phone: DataClasses.phone,
  nir: DataClasses.nir,
  accountId: DataClasses.accountId,
  account: DataClasses.accountId,
  username: DataClasses.username,
};

function joinWords(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${WORDS[lang].and}${items.at(-1)}`;
}

const bullets = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');

interface Notice {
  id: string;
  /** A file name made from the id: the id itself when it is safe, else a digest of it. */
  file: string;
  lang: Lang;
  subject: string;
  body: string;
  dataClasses: DataClassName[];
}

interface NoticeInput {
  entry: BreachEntry;
  org: OrgProfile;
  incident: Incident;
  matches: readonly MatchRow[];
  template: Template;
  lang: Lang;
  now: Date;
}

const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * A file name for an untrusted id: kept when it is plain letters, digits, `.`, `_`, `-` (and
 * no other file took it in another case, for case-insensitive file systems), otherwise `_`
 * and the first 16 hex digits of its SHA-256 (a safe id never starts with `_`).
 * @example safeFileName('C-0042', new Set()) // 'C-0042'
 */
export function safeFileName(id: string, taken: Set<string>): string {
  const plain = SAFE_FILE.test(id) && !id.endsWith('.') && !taken.has(id.toLowerCase());
  const name = plain ? id : `_${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
  taken.add(name.toLowerCase());
  return name;
}

/** The values shared by every letter; `null` where the operator has not stated it. */
function commonValues(input: NoticeInput): Record<Placeholder, string | null> {
  const { org, incident: inc, entry, lang, now } = input;
  const t = DRAFT_TEXTS[lang];
  const who = org.dpo?.email ? org.dpo : org.contact?.email || org.contact?.phone ? org.contact : undefined;
  const contact = who ? [who.name, who.email, (who as { phone?: string }).phone].filter(Boolean).join(', ') : null;
  let nature: string | null = null;
  if (inc.nature && inc.nature.length > 0) {
    const what = inc.nature.map((n) => t.natures[n].charAt(0).toLowerCase() + t.natures[n].slice(1)).join(lang === 'fr' ? ' ; ' : '; ');
    const origin = inc.origin && inc.origin !== 'other' ? t.origins[inc.origin].toLowerCase() : null;
    nature = origin ? `${what} (${lang === 'fr' ? 'origine' : 'origin'} : ${origin})` : what;
    if (lang === 'en') nature = nature.replace(' : ', ': ');
  }
  const values = Object.fromEntries(PLACEHOLDERS.map((p) => [p, null])) as Record<Placeholder, string | null>;
  return {
    ...values,
    'org.name': org.name ?? null,
    'org.address': org.address ?? null,
    contact,
    'breach.title': entry.breach.Title || entry.breach.Name,
    'incident.started': inc.started ? t.date(inc.started) : null,
    'incident.aware': inc.aware ? t.dateTime(inc.aware) : null,
    nature,
    measures: inc.measuresAfter ?? null,
    today: t.date(now.toISOString().slice(0, 10)),
  };
}

/**
 * One letter per matched customer. Every placeholder the template uses must have a value:
 * a letter is never sent with a hole in it, so a missing statement is an error naming the
 * command that sets it, before anything is written.
 */
export function buildNotices(input: NoticeInput): Notice[] {
  const { template, lang, matches } = input;
  const common = commonValues(input);
  const missing = [...template.used].filter((p) => p in HOW && common[p] === null);
  if (missing.length > 0) {
    throw new VigieError('VIGIE_USAGE', `the letters need ${missing.map((p) => `{{${p}}} (${HOW[p]})`).join(', ')}`);
  }
  const taken = new Set<string>();
  const advice = generalAdvice(lang);
  // Customers share a few combinations of classes: each combination's text is made once.
  const byCombination = new Map<string, Record<Placeholder, string | null>>();
  const valuesFor = (m: MatchRow): Record<Placeholder, string | null> => {
    const key = `${m.dataClasses.join(';')}|${m.matched.join(';')}`;
    let v = byCombination.get(key);
    if (!v) {
      v = lettersValues(m);
      byCombination.set(key, v);
    }
    return v;
  };
  const lettersValues = (m: MatchRow): Record<Placeholder, string | null> => {
    const guidance = guidanceFor(m.dataClasses, lang);
    const label = (name: DataClassName) => guidance.find((g) => g.dataClass === name)?.label ?? guidanceFor([name], lang)[0]?.label ?? name;
    const matched = m.matched.map((k) => WORDS[lang].kinds[k] ?? (KIND_CLASS[k] ? label(KIND_CLASS[k]) : k));
    const resources = new Map<string, string>();
    for (const r of [...guidance.flatMap((g) => g.resources), ...advice.resources]) resources.set(r.url, `${r.name} : ${r.url}`);
    const actions = [...new Set(guidance.flatMap((g) => g.actions))];
    const values: Record<Placeholder, string | null> = {
      ...common,
      matched: matched.length > 0 ? joinWords(matched, lang) : lang === 'fr' ? 'nos vérifications' : 'our checks',
      exposed: joinWords(
        guidance.map((g) => g.label),
        lang,
      ),
      consequences: bullets(guidance.map((g) => `${g.label.charAt(0).toUpperCase()}${g.label.slice(1)} : ${g.risk}`)),
      actions: bullets(actions),
      advice: bullets(advice.points),
      resources: bullets([...resources.values()]),
    };
    if (lang === 'en') {
      values.consequences = values.consequences?.replace(/ : /g, ': ') ?? null;
      values.resources = values.resources?.replace(/ : /g, ': ') ?? null;
    }
    return values;
  };
  return matches.map((m) => {
    const values = { ...valuesFor(m), 'customer.id': m.id };
    const sorted = m.dataClasses.filter((c) => classKey(c)).sort();
    return { id: m.id, file: safeFileName(m.id, taken), lang, subject: fill(template.subject, values), body: fill(template.body, values), dataClasses: sorted };
  });
}
