/**
 * Vigie's data classes in the words of the CNIL's notification form: its categories of data
 * (état civil, NIR, coordonnées, données d'identification et d'accès, données financières,
 * documents officiels, localisation, infractions, vie professionnelle) and the special
 * categories of GDPR article 9, and the severity among the CNIL's four levels proposed from them.
 */
import type { DataClassKey } from '../dataclasses.js';

/** The form's categories of data, in its order; `sensitive` are GDPR article 9 (and 10 for offences). */
export const DATA_CATEGORIES = [
  { id: 'civil-status', sensitive: false, classes: ['name', 'dob', 'gender'] },
  { id: 'nir', sensitive: false, classes: ['nir'] },
  { id: 'contact-details', sensitive: false, classes: ['email', 'phone', 'address'] },
  { id: 'identification-access', sensitive: false, classes: ['username', 'accountId', 'password', 'ip'] },
  { id: 'financial', sensitive: false, classes: ['iban', 'income', 'taxId'] },
  { id: 'official-documents', sensitive: false, classes: ['idCard', 'passport', 'drivingLicence'] },
  { id: 'professional-life', sensitive: false, classes: ['employer', 'siret'] },
  { id: 'location', sensitive: false, classes: [] },
  { id: 'offences', sensitive: true, classes: [] },
  { id: 'health', sensitive: true, classes: ['health'] },
  { id: 'other-article-9', sensitive: true, classes: [] },
] as const satisfies readonly { id: string; sensitive: boolean; classes: readonly DataClassKey[] }[];

export type DataCategoryId = (typeof DATA_CATEGORIES)[number]['id'];

/** The CNIL's four levels of severity, least first. */
const SEVERITIES = ['negligible', 'limited', 'significant', 'maximum'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One reason behind the proposed severity: the level it calls for and the classes that call for it. */
export interface SeverityReason {
  level: Severity;
  rule: SeverityRule;
  classes: DataClassKey[];
}

export type SeverityRule = 'health' | 'nir-identity' | 'account-or-money' | 'identity-numbers' | 'contact-or-identity' | 'little-on-its-own';

const has = (set: ReadonlySet<DataClassKey>, ...keys: DataClassKey[]) => keys.filter((k) => set.has(k));

/**
 * The severity proposed for the exposed classes: the highest level any rule calls for.
 * - maximum: health data (art. 9), or a NIR with a name or birth date (durable identity theft);
 * - significant: a password or bank details (accounts or money at once), a NIR, identity
 *   document or tax numbers (impersonation);
 * - limited: contact details or civil status (targeted phishing, nuisance);
 * - negligible: what exposes little on its own.
 * @example proposeSeverity(['email', 'password']).level // 'significant'
 */
export function proposeSeverity(classes: readonly DataClassKey[]): { level: Severity; reasons: SeverityReason[] } {
  const set = new Set(classes);
  const reasons: SeverityReason[] = [];
  const add = (level: Severity, rule: SeverityRule, found: DataClassKey[]) => {
    if (found.length > 0) reasons.push({ level, rule, classes: found });
  };
  add('maximum', 'health', has(set, 'health'));
  if (set.has('nir') && (set.has('name') || set.has('dob'))) add('maximum', 'nir-identity', has(set, 'nir', 'name', 'dob'));
  add('significant', 'account-or-money', has(set, 'password', 'iban'));
  add('significant', 'identity-numbers', has(set, 'nir', 'idCard', 'passport', 'drivingLicence', 'taxId'));
  add('limited', 'contact-or-identity', has(set, 'email', 'phone', 'address', 'name', 'dob', 'income', 'employer'));
  add('negligible', 'little-on-its-own', has(set, 'username', 'accountId', 'ip', 'gender', 'siret'));
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const level = reasons.reduce<Severity>((m, r) => (rank(r.level) > rank(m) ? r.level : m), 'negligible');
  return { level, reasons };
}
