/**
 * The ground truth of a generated dataset: what an ingest of it must find. Counted while
 * writing, in memory proportional to the number of people (2 bytes each) plus fixed bit
 * sets, never to the number of distinct string values.
 */
import { DataClasses, type DataClassKey } from '../dataclasses.js';
import { ADDRESS_CODES, NAME_PAIRS } from './people.js';
import { BitSet } from './unique.js';

/** Counts for one data class. */
export interface ClassCount {
  /** Values that validate. */
  valid: number;
  /** Non-empty values that do not validate. */
  invalid: number;
  /** Distinct canonical forms among the valid values. */
  distinct: number;
}

/**
 * What the generator wrote, for comparison with what an ingest reports.
 *
 * Counting rules (the ingest's report must follow the same ones):
 * - Each non-empty cell of a single-valued class counts once, valid or invalid (`Email
 *   addresses`, `Phone numbers`, `Dates of birth`, `Social security numbers`, `Bank account
 *   numbers`, `SIREN/SIRET numbers`, `Passwords`, `Employers`, `Account identifiers`,
 *   `Genders`). Empty cells, JSON `null` and SQL `NULL` count nothing.
 * - `Names`: one value per record having `nom` or `prenom` (both are always valid); distinct by
 *   the (given name, surname) pair, which is also distinct by the sorted folded words of the
 *   two (names.test.ts proves it for the lists).
 * - `Physical addresses`: one value per record having a street, postcode or city (always
 *   valid); distinct by (street line, postcode, city).
 * - E-mails and phones found in `commentaire` add valid values to their class (they are
 *   always valid and are the person's own).
 * - `people`: records are keyed by their strongest valid identifier, in this order: NIR,
 *   e-mail (the column, else one found in the comment), phone (likewise), then folded name +
 *   valid birth date; `people` counts distinct keys, records with none count nothing.
 * - Malformed rows count in `malformed` only: not in `rows`, classes or people.
 */
export interface GroundTruth {
  format: string;
  seed: number;
  /** Records a reader should return (malformed rows excluded). */
  rows: number;
  /** Rows written broken (CSV field count, NDJSON syntax), to be skipped by a reader. */
  malformed: number;
  /** Records that repeat an earlier person. */
  duplicates: number;
  /** Distinct generated persons among the records (what `people` would be with no broken identifier). */
  persons: number;
  /**
   * Distinct people keys as defined above. A person whose NIR is broken in one record and
   * valid in another counts under two keys: with broken values `people` exceeds `persons`
   * (it can fall below only if two persons identified by name + birth date alone coincide).
   */
  people: number;
  /** Keyed by data class name (`DataClasses` values), only for classes the columns hold. */
  dataClasses: Record<string, ClassCount>;
  /** Columns in file order: CSV headers, SQL columns, or flattened JSON paths. */
  columns: { name: string; dataClass: string | null }[];
}

/** Per-person flags: which identifier values were seen valid, which people keys were used. */
export const Seen = {
  email: 1,
  phone: 2,
  nir: 4,
  iban: 8,
  siret: 16,
  password: 32,
  accountId: 64,
  keyNir: 128,
  keyEmail: 256,
  keyPhone: 512,
  written: 1024,
} as const;
export type UniqueClass = 'email' | 'phone' | 'nir' | 'iban' | 'siret' | 'password' | 'accountId';
export type PeopleKey = 'keyNir' | 'keyEmail' | 'keyPhone';

/** Where a rendered record reports what it wrote. */
export interface Tally {
  valid(cls: DataClassKey): void;
  invalid(cls: DataClassKey): void;
  /** A valid value of a per-person identifier class. */
  unique(cls: UniqueClass, person: number): void;
  name(pair: number): void;
  address(code: number): void;
  birthDate(day: number): void;
  text(cls: 'employer' | 'gender', value: string): void;
  key(kind: PeopleKey, person: number): void;
  keyNameBirth(pair: number, day: number): void;
  /** A record of this person was written. */
  record(person: number): void;
}

/** A tally that counts nothing, for rows that will be written malformed. */
export const NO_TALLY: Tally = {
  valid() {},
  invalid() {},
  unique() {},
  name() {},
  address() {},
  birthDate() {},
  text() {},
  key() {},
  keyNameBirth() {},
  record() {},
};

export class TruthCounter implements Tally {
  private readonly counts = new Map<DataClassKey, ClassCount>();
  private seen = new Uint16Array(1 << 16);
  private readonly names = new BitSet(NAME_PAIRS);
  // Sized once (about 10 MB): codes are spread over the whole space from the first rows.
  private readonly addresses = new BitSet(ADDRESS_CODES);
  private readonly birthDays = new BitSet(1 << 15);
  private readonly texts = { employer: new Set<string>(), gender: new Set<string>() };
  /** Keys of records identified only by name + birth date: few, and they may collide. */
  private readonly nameBirth = new Set<number>();
  people = 0;
  persons = 0;

  /** @param classes the classes the columns hold, reported even when zero */
  constructor(classes: Iterable<DataClassKey>) {
    for (const c of classes) this.counts.set(c, { valid: 0, invalid: 0, distinct: 0 });
  }

  private count(cls: DataClassKey): ClassCount {
    let c = this.counts.get(cls);
    if (!c) {
      c = { valid: 0, invalid: 0, distinct: 0 };
      this.counts.set(cls, c);
    }
    return c;
  }

  valid(cls: DataClassKey): void {
    this.count(cls).valid++;
  }

  invalid(cls: DataClassKey): void {
    this.count(cls).invalid++;
  }

  /** Sets a person's flag; true if it was not set. */
  private flag(person: number, bit: number): boolean {
    if (person >= this.seen.length) {
      let len = this.seen.length * 2;
      while (len <= person) len *= 2;
      const next = new Uint16Array(len);
      next.set(this.seen);
      this.seen = next;
    }
    const old = this.seen[person] as number;
    if ((old & bit) !== 0) return false;
    this.seen[person] = old | bit;
    return true;
  }

  unique(cls: UniqueClass, person: number): void {
    const c = this.count(cls);
    c.valid++;
    if (this.flag(person, Seen[cls])) c.distinct++;
  }

  name(pair: number): void {
    const c = this.count('name');
    c.valid++;
    if (this.names.add(pair)) c.distinct++;
  }

  address(code: number): void {
    const c = this.count('address');
    c.valid++;
    if (this.addresses.add(code)) c.distinct++;
  }

  birthDate(day: number): void {
    const c = this.count('dob');
    c.valid++;
    if (this.birthDays.add(day)) c.distinct++;
  }

  text(cls: 'employer' | 'gender', value: string): void {
    const c = this.count(cls);
    c.valid++;
    const set = this.texts[cls];
    if (!set.has(value)) {
      set.add(value);
      c.distinct++;
    }
  }

  key(kind: PeopleKey, person: number): void {
    if (this.flag(person, Seen[kind])) this.people++;
  }

  record(person: number): void {
    if (this.flag(person, Seen.written)) this.persons++;
  }

  keyNameBirth(pair: number, day: number): void {
    // Name pairs < 2^17 and days < 2^15: the product space fits a safe integer exactly.
    const k = pair * 65536 + day;
    if (!this.nameBirth.has(k)) {
      this.nameBirth.add(k);
      this.people++;
    }
  }

  /** Counts keyed by data class name. */
  classes(): Record<string, ClassCount> {
    const out: Record<string, ClassCount> = {};
    for (const [k, v] of this.counts) out[DataClasses[k]] = { ...v };
    return out;
  }
}
