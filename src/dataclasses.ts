/**
 * Data classes, listed once. Names are Have I Been Pwned's where HIBP has the concept
 * (so HIBP clients see familiar strings), plus the French classes HIBP lacks.
 */
export const DataClasses = {
  email: 'Email addresses',
  phone: 'Phone numbers',
  name: 'Names',
  dob: 'Dates of birth',
  address: 'Physical addresses',
  password: 'Passwords',
  iban: 'Bank account numbers',
  nir: 'Social security numbers',
  siret: 'SIREN/SIRET numbers',
  username: 'Usernames',
  accountId: 'Account identifiers',
  ip: 'IP addresses',
  gender: 'Genders',
  employer: 'Employers',
  taxId: 'Tax identification numbers',
  passport: 'Passport numbers',
  idCard: 'National ID card numbers',
  drivingLicence: 'Driving licence numbers',
  health: 'Health data',
  income: 'Income levels',
} as const;

export type DataClassKey = keyof typeof DataClasses;
export type DataClassName = (typeof DataClasses)[DataClassKey];

/** Stable bit positions, so per-record exposure can be stored as one integer mask. Append only. */
export const DataClassBits: Record<DataClassKey, number> = {
  email: 0,
  phone: 1,
  name: 2,
  dob: 3,
  address: 4,
  password: 5,
  iban: 6,
  nir: 7,
  siret: 8,
  username: 9,
  accountId: 10,
  ip: 11,
  gender: 12,
  employer: 13,
  taxId: 14,
  passport: 15,
  idCard: 16,
  drivingLicence: 17,
  health: 18,
  income: 19,
};

export function classesFromMask(mask: number): DataClassName[] {
  const out: DataClassName[] = [];
  for (const key of Object.keys(DataClassBits) as DataClassKey[]) {
    if (mask & (1 << DataClassBits[key])) out.push(DataClasses[key]);
  }
  return out.sort();
}
