import type { DataClassKey } from '../dataclasses.js';

/**
 * What a column holds, finer than a data class: it picks the normaliser.
 * Several kinds share a data class (last name and first name are both `Names`).
 */
export const FieldKinds = {
  email: 'email',
  phone: 'phone',
  nir: 'nir',
  iban: 'iban',
  siret: 'siret',
  siren: 'siret',
  dob: 'dob',
  lastName: 'name',
  firstName: 'name',
  fullName: 'name',
  address: 'address',
  postcode: 'address',
  city: 'address',
  password: 'password',
  username: 'username',
  accountId: 'accountId',
  ip: 'ip',
  gender: 'gender',
  employer: 'employer',
  /** Free text: scanned for embedded emails and phone numbers. */
  text: null,
} as const satisfies Record<string, DataClassKey | null>;

export type FieldKind = keyof typeof FieldKinds;

/**
 * Classes counted once per record rather than once per value: a record's name is one
 * `Names` value whether it is written in one column or in nom + prénom; same for addresses.
 */
export const COMPOSITE_CLASSES: ReadonlySet<DataClassKey> = new Set(['name', 'address']);
