/**
 * Column presets, named the way real French exports name them, and their layout in each
 * format: flat for CSV and SQL, nested `contact` and `adresse` objects for JSON.
 */
import type { DataClassKey } from '../dataclasses.js';

/** What a column holds, in the generator's terms. */
export type Field =
  | 'lastName'
  | 'firstName'
  | 'email'
  | 'phone'
  | 'birthDate'
  | 'street'
  | 'postcode'
  | 'city'
  | 'nir'
  | 'accountId'
  | 'civilite'
  | 'iban'
  | 'siret'
  | 'employer'
  | 'password'
  | 'comment';

export type ColumnPreset = 'standard' | 'ants' | 'full';

export interface ColumnDef {
  /** CSV header and SQL column name. */
  name: string;
  field: Field;
  /** Where the value sits in a JSON object; `[]` marks a one-element array. */
  json: readonly [string] | readonly [string, string] | readonly [string, string, '[]'];
  sqlType: string;
}

/** The data class a field's values count for (`null`: free text, scanned for embedded values). */
export const FIELD_CLASS: Record<Field, DataClassKey | null> = {
  lastName: 'name',
  firstName: 'name',
  email: 'email',
  phone: 'phone',
  birthDate: 'dob',
  street: 'address',
  postcode: 'address',
  city: 'address',
  nir: 'nir',
  accountId: 'accountId',
  civilite: 'gender',
  iban: 'iban',
  siret: 'siret',
  employer: 'employer',
  password: 'password',
  comment: null,
};

const V = 'varchar(255)';
const col = (name: string, field: Field, json: ColumnDef['json'] = [name], sqlType = V): ColumnDef => ({
  name,
  field,
  json,
  sqlType,
});

const STANDARD: readonly ColumnDef[] = [
  col('nom', 'lastName'),
  col('prenom', 'firstName'),
  col('email', 'email', ['contact', 'email']),
  col('telephone', 'phone', ['contact', 'telephones', '[]'], 'varchar(32)'),
  col('date_naissance', 'birthDate', ['date_naissance'], 'varchar(10)'),
  col('adresse', 'street', ['adresse', 'rue']),
  col('code_postal', 'postcode', ['adresse', 'code_postal'], 'varchar(5)'),
  col('ville', 'city', ['adresse', 'ville']),
  col('nir', 'nir', ['nir'], 'varchar(21)'),
];

/** The presets. `full` adds bank, business, password and comment columns to `standard`. */
export const PRESETS: Record<ColumnPreset, readonly ColumnDef[]> = {
  standard: STANDARD,
  ants: [
    col('id_compte', 'accountId', ['id_compte'], 'varchar(16)'),
    col('civilite', 'civilite', ['civilite'], 'varchar(3)'),
    col('nom', 'lastName'),
    col('prenom', 'firstName'),
    col('courriel', 'email', ['contact', 'email']),
    col('tel_portable', 'phone', ['contact', 'telephones', '[]'], 'varchar(32)'),
    col('date_de_naissance', 'birthDate', ['date_de_naissance'], 'varchar(10)'),
    col('adresse_postale', 'street', ['adresse', 'rue']),
    col('cp', 'postcode', ['adresse', 'code_postal'], 'varchar(5)'),
    col('ville', 'city', ['adresse', 'ville']),
  ],
  full: [
    ...STANDARD,
    col('iban', 'iban', ['iban'], 'varchar(34)'),
    col('siret', 'siret', ['siret'], 'varchar(17)'),
    col('employeur', 'employer'),
    col('mot_de_passe', 'password', ['mot_de_passe'], 'char(60)'),
    col('commentaire', 'comment', ['commentaire'], 'text'),
  ],
};

/** The column's name as a JSON reader flattens it: `contact.email`, `contact.telephones[0]`. */
export function jsonPath(c: ColumnDef): string {
  const [a, b, arr] = c.json;
  if (b === undefined) return a;
  return arr ? `${a}.${b}[0]` : `${a}.${b}`;
}

/** Classes present in a preset: those of its columns, plus e-mail and phone when a comment may embed them. */
export function presetClasses(columns: readonly ColumnDef[]): DataClassKey[] {
  const out = new Set<DataClassKey>();
  for (const c of columns) {
    const cls = FIELD_CLASS[c.field];
    if (cls) out.add(cls);
    if (c.field === 'comment') {
      out.add('email');
      out.add('phone');
    }
  }
  return [...out];
}
