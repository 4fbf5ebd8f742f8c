/**
 * Synthetic French people. Nobody here exists: every person is a random combination of
 * list entries and generated numbers, deterministic from the seed. Identifiers (NIR, e-mail,
 * phone, IBAN, SIRET, account id) are unique per person by construction (see unique.ts).
 */
import { ibanCheckDigits, luhnCheckDigit, ribKey } from './checks.js';
import { BANK_CODES, COMPANIES, TRADES } from './data/index.js';
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES } from './data/index.js';
import { COMMUNES, LIEUX_DITS, STREET_NAMES, STREET_TYPES, STREET_TYPE_WEIGHTS } from './data/index.js';
import { EmailAllocator } from './email.js';
import { foldForEmail } from './fold.js';
import { BirthAllocator, FIRST_BIRTH_YEAR } from './nir.js';
import { PhoneAllocator } from './phones.js';
import { Rng, fmix32 } from './rng.js';
import { UniquePool } from './unique.js';

/** A synthetic person with canonical values (as a validator would output them). */
export interface Person {
  /** 1, 2, 3, … in generation order. */
  id: number;
  firstName: string;
  lastName: string;
  sex: 'M' | 'F';
  /** Civilité as written in forms. */
  gender: 'M.' | 'Mme';
  /** `YYYY-MM-DD`, 1930..2006. */
  birthDate: string;
  /** 15 characters with a valid key, consistent with sex, birth year and month. */
  nir: string;
  /** Canonical: lower case, accents folded. */
  email: string;
  /** E.164, metropolitan or overseas. */
  phone: string;
  address: { street: string; postcode: string; city: string };
  /** Compact FR IBAN with valid RIB key and check digits. */
  iban: string;
  /** 14 digits, Luhn-valid, for the self-employed (about 20%); null otherwise. */
  siret: string | null;
  /** Company name; null for the retired and the unemployed. */
  employer: string | null;
  /** `ANTS-` + 9 digits. */
  accountId: string;
  /** bcrypt-looking: `$2y$10$` + 53 characters of bcrypt's alphabet. Not a hash of anything. */
  passwordHash: string;
}

/** Small integer keys of a person's quasi-identifiers, for exact distinct counting. */
export interface PersonKeys {
  /** Index of the (given name, surname) pair. */
  name: number;
  /** Index of the (postcode, street) combination. */
  address: number;
  /** Days since 1930-01-01. */
  birthDay: number;
}

export interface GeneratedPerson {
  person: Person;
  keys: PersonKeys;
}

const FIRST_NAMES = [...FEMALE_FIRST_NAMES, ...MALE_FIRST_NAMES];
const FOLDED_FIRST = FIRST_NAMES.map(foldForEmail);
const FOLDED_LAST = SURNAMES.map(foldForEmail);
const POSTCODE_OFFSET: number[] = [];
let postcodeCount = 0;
for (const c of COMMUNES) {
  POSTCODE_OFFSET.push(postcodeCount);
  postcodeCount += c.postcodes.length;
}
const COMMUNE_WEIGHTS = COMMUNES.map((c) => c.weight);
const COMMUNE_TOTAL = COMMUNE_WEIGHTS.reduce((a, b) => a + b, 0);
const TYPE_TOTAL = STREET_TYPE_WEIGHTS.reduce((a, b) => a + b, 0);
/** Address code radices: street types plus lieu-dit, names (streets or lieux-dits), bis/ter, number. */
const TYPE_SLOTS = STREET_TYPES.length + 1;
const NAME_SLOTS = Math.max(STREET_NAMES.length, LIEUX_DITS.length);
const MAX_NUMBER = 200;
/** Size of the address code space (for bit sets). */
export const ADDRESS_CODES = postcodeCount * TYPE_SLOTS * NAME_SLOTS * 3 * MAX_NUMBER;
/** Size of the name pair space. */
export const NAME_PAIRS = FIRST_NAMES.length * SURNAMES.length;
const EPOCH_1930 = Date.UTC(FIRST_BIRTH_YEAR, 0, 1);
const BCRYPT_ALPHABET = Buffer.from('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'latin1');

/**
 * Makes people one after another. Stateful (it remembers which identifiers it gave out),
 * so the n-th person of a seed is always the same only when drawn in order.
 */
export class PeopleFactory {
  private readonly rng: Rng;
  private readonly births: BirthAllocator;
  private readonly emails: EmailAllocator;
  private readonly phones: PhoneAllocator;
  private readonly accounts: UniquePool;
  private readonly sirens: UniquePool;
  private readonly accountIds: UniquePool;
  private count = 0;
  /** `$2y$10$` then 53 characters of bcrypt's alphabet, rewritten for each person. */
  private readonly hashBytes = Buffer.from('$2y$10$'.padEnd(60, '.'), 'latin1');

  constructor(seed: number) {
    this.rng = new Rng(seed, 1);
    const key = fmix32(seed ^ 0x5eed);
    this.births = new BirthAllocator(key + 1);
    this.emails = new EmailAllocator(key + 2);
    this.phones = new PhoneAllocator(key + 3);
    this.accounts = new UniquePool(1e11, key + 4);
    this.sirens = new UniquePool(1e8, key + 5);
    this.accountIds = new UniquePool(1e9, key + 6);
  }

  next(): GeneratedPerson {
    const rng = this.rng;
    const id = ++this.count;
    const birth = this.births.next(rng);
    const first = birth.sex === 'F' ? rng.skewed(FEMALE_FIRST_NAMES.length) : FEMALE_FIRST_NAMES.length + rng.skewed(MALE_FIRST_NAMES.length);
    const last = rng.skewed(SURNAMES.length);
    const pair = first * SURNAMES.length + last;
    const lastName = SURNAMES[last] as string;

    const ci = rng.weighted(COMMUNE_WEIGHTS, COMMUNE_TOTAL);
    const commune = COMMUNES[ci] as (typeof COMMUNES)[number];
    const pi = rng.int(commune.postcodes.length);
    const { street, code } = this.street(POSTCODE_OFFSET[ci]! + pi);

    const phone = this.phones.allocate(commune.phone, rng.chance(0.75), rng);
    const email = this.emails.next(FOLDED_FIRST[first]!, FOLDED_LAST[last]!, pair, birth.year % 100, rng);

    const bank = rng.pick(BANK_CODES);
    const branch = rng.digits(5);
    const account = String(this.accounts.take()).padStart(11, '0');
    const bban = bank + branch + account + String(ribKey(bank, branch, account)).padStart(2, '0');
    const iban = `FR${ibanCheckDigits('FR', bban)}${bban}`;

    let siret: string | null = null;
    let employer: string | null = null;
    if (rng.chance(0.2)) {
      siret = this.siret(rng);
      employer = `${rng.pick(TRADES)} ${lastName}`;
    } else {
      const retired = birth.year < 1960 && rng.chance(0.85);
      if (!retired && rng.chance(0.85)) employer = rng.pick(COMPANIES);
    }

    // One flat string from a scratch buffer rather than 53 concatenations.
    const hb = this.hashBytes;
    for (let i = 7; i < 60; i += 5) {
      let bits = rng.next();
      for (let j = i; j < i + 5 && j < 60; j++, bits >>>= 6) hb[j] = BCRYPT_ALPHABET[bits & 63]!;
    }
    const hash = hb.toString('latin1');

    const person: Person = {
      id,
      firstName: FIRST_NAMES[first] as string,
      lastName,
      sex: birth.sex,
      gender: birth.sex === 'M' ? 'M.' : 'Mme',
      birthDate: birth.date,
      nir: birth.nir,
      email,
      phone,
      address: { street, postcode: commune.postcodes[pi] as string, city: commune.city },
      iban,
      siret,
      employer,
      accountId: `ANTS-${String(this.accountIds.take()).padStart(9, '0')}`,
      passwordHash: hash,
    };
    const birthDay = Math.round((Date.UTC(birth.year, birth.month - 1, birth.day) - EPOCH_1930) / 86400000);
    return { person, keys: { name: pair, address: code, birthDay } };
  }

  /** A street line and its code; the code determines the line (complements included). */
  private street(postcodeIndex: number): { street: string; code: number } {
    const rng = this.rng;
    let type: number;
    let name: number;
    let bis = 0;
    let num = 0;
    if (rng.chance(0.04)) {
      type = STREET_TYPES.length;
      name = rng.int(LIEUX_DITS.length);
    } else {
      type = rng.weighted(STREET_TYPE_WEIGHTS, TYPE_TOTAL);
      name = rng.int(STREET_NAMES.length);
      num = 1 + rng.skewed(MAX_NUMBER - 1);
      const r = rng.float();
      bis = r < 0.03 ? 1 : r < 0.04 ? 2 : 0;
    }
    const code = (((postcodeIndex * TYPE_SLOTS + type) * NAME_SLOTS + name) * 3 + bis) * MAX_NUMBER + num;
    if (num === 0) return { street: `Lieu-dit ${LIEUX_DITS[name] as string}`, code };
    // Building and flat complements are a function of the code, so they never split one address in two.
    const h = fmix32(code) % 100;
    const complement = h < 5 ? `Bât. ${'ABCD'[h % 4]}, ` : h < 10 ? `Appt ${h + 3}, ` : '';
    const suffix = bis === 1 ? ' bis' : bis === 2 ? ' ter' : '';
    return { street: `${complement}${num}${suffix} ${STREET_TYPES[type] as string} ${STREET_NAMES[name] as string}`, code };
  }

  private siret(rng: Rng): string {
    let base = this.sirens.take();
    // SIREN 356 000 000 is La Poste's, whose SIRETs follow another rule: never draw it.
    if (base === 35600000) base = this.sirens.take();
    if (base < 0) throw new RangeError('SIREN space exhausted');
    const b = String(base).padStart(8, '0');
    const siren = b + luhnCheckDigit(b);
    const nic4 = `00${String(1 + rng.int(40)).padStart(2, '0')}`;
    return siren + nic4 + luhnCheckDigit(siren + nic4);
  }
}

/**
 * Generates `count` synthetic people, deterministic from `seed`.
 * @example for (const p of generatePeople(3, 42)) console.log(p.firstName, p.nir)
 */
export function* generatePeople(count: number, seed: number): Generator<Person> {
  const factory = new PeopleFactory(seed);
  for (let i = 0; i < count; i++) yield factory.next().person;
}
