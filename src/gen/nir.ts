/**
 * Births and their NIR (numéro d'inscription au répertoire, the social security number).
 *
 * Layout (INSEE): sex (1) · year (2) · month (2) · place (5) · order (3) · key (2), where place
 * is department (2) + commune (3) in metropolitan France (Corsica: `20` before 1976, `2A`/`2B`
 * from 1976), department (3) + commune (2) for births overseas (971–974), and `99` + INSEE
 * country code for births abroad. A small share carries the special month values used when
 * the month of birth is unknown (30–42, 50–99 here; `20` is left out because it cannot be
 * made unique per person).
 *
 * Uniqueness: (sex, year, month, place, order) is one draw from a per-category pool without
 * repetition, so two people never get the same NIR, whatever the special month.
 */
import { nirKey } from './checks.js';
import { BIRTH_COUNTRIES, CORSICA_BIRTH, METRO_DEPARTMENTS, OVERSEAS_BIRTH } from './data/index.js';
import type { Rng } from './rng.js';
import { fmix32 } from './rng.js';
import { UniquePool } from './unique.js';

export const FIRST_BIRTH_YEAR = 1930;
export const LAST_BIRTH_YEAR = 2006;
const YEARS = LAST_BIRTH_YEAR - FIRST_BIRTH_YEAR + 1;
const METRO_COMMUNES = 400;
const OVERSEAS_PLACES: string[] = OVERSEAS_BIRTH.flatMap((o) => Array.from({ length: o.communes }, (_, i) => o.dept + String(i + 1).padStart(2, '0')));

interface BirthCategory {
  /** Share of people born in this category. */
  share: number;
  places: number;
  place(index: number, year: number): string;
}

const CATEGORIES: readonly BirthCategory[] = [
  {
    share: 0.88,
    places: METRO_DEPARTMENTS.length * METRO_COMMUNES,
    place: (i) => (METRO_DEPARTMENTS[Math.floor(i / METRO_COMMUNES)] as string) + String((i % METRO_COMMUNES) + 1).padStart(3, '0'),
  },
  { share: 0.07, places: BIRTH_COUNTRIES.length, place: (i) => `99${BIRTH_COUNTRIES[i] as string}` },
  { share: 0.04, places: OVERSEAS_PLACES.length, place: (i) => OVERSEAS_PLACES[i] as string },
  {
    share: 0.01,
    places: CORSICA_BIRTH.length,
    place: (i, year) => {
      const c = CORSICA_BIRTH[i] as { dept: string; commune: string };
      // Departments 2A and 2B exist since 1 January 1976 (law of 15 May 1975).
      return (year >= 1976 ? c.dept : '20') + c.commune;
    },
  },
];
const CATEGORY_SHARES = CATEGORIES.map((c) => c.share);

/** Month field values standing for an unknown month: four families of twelve, one per real month. */
const SPECIAL_MONTH_BASES = [30, 50, 62, 74];

export interface Birth {
  sex: 'M' | 'F';
  year: number;
  month: number;
  day: number;
  /** `YYYY-MM-DD`. */
  date: string;
  nir: string;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Draws births with NIRs, each NIR at most once. */
export class BirthAllocator {
  private readonly pools: UniquePool[];

  constructor(key: number) {
    this.pools = CATEGORIES.map((c, i) => new UniquePool(2 * YEARS * 12 * c.places * 999, fmix32(key + i)));
  }

  next(rng: Rng): Birth {
    let cat = rng.weighted(CATEGORY_SHARES, 1);
    let v = (this.pools[cat] as UniquePool).take();
    if (v < 0) {
      // A spent small category (births abroad hold 22 million) falls back to the metropolitan one.
      cat = 0;
      v = (this.pools[0] as UniquePool).take();
      if (v < 0) throw new RangeError('NIR space exhausted');
    }
    const c = CATEGORIES[cat] as BirthCategory;
    const order = (v % 999) + 1;
    v = Math.floor(v / 999);
    const placeIndex = v % c.places;
    v = Math.floor(v / c.places);
    const month = (v % 12) + 1;
    v = Math.floor(v / 12);
    const year = FIRST_BIRTH_YEAR + (v % YEARS);
    const sex = v >= YEARS ? 'F' : 'M';
    const day = 1 + rng.int(daysInMonth(year, month));
    const nirMonth = rng.chance(0.005) ? (SPECIAL_MONTH_BASES[rng.int(4)] as number) + month - 1 : month;
    const first13 =
      (sex === 'M' ? '1' : '2') +
      String(year % 100).padStart(2, '0') +
      String(nirMonth).padStart(2, '0') +
      c.place(placeIndex, year) +
      String(order).padStart(3, '0');
    const nir = first13 + String(nirKey(first13)).padStart(2, '0');
    const date = `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
    return { sex, year, month, day, date, nir };
  }
}
