/**
 * For `at-rest.test.ts` (docs/architecture.md §5.1): the raw values of a generated leak in every
 * usual writing ("needles"), and a search of any bytes for all of them at once, in UTF-8 and
 * UTF-16LE. Values come from the generator's people; the writings are rebuilt here, not taken
 * from the generator's writers, so a writing the generator never uses is still searched.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Person } from '../../gen/index.js';

/** What a needle is, for the report of a hit. */
export type NeedleKind = 'email' | 'phone' | 'nir' | 'name' | 'iban' | 'address' | 'siret' | 'password' | 'account' | 'cell';

export interface Hit {
  where: string;
  kind: NeedleKind;
  needle: string;
  encoding: 'utf8' | 'utf16le';
  offset: number;
}

interface Entry {
  bytes: Buffer;
  /** Where the keyed window starts in the needle. */
  at: number;
  text: string;
  kind: NeedleKind;
  encoding: 'utf8' | 'utf16le';
}

/** Needles shorter than this many characters match too much by chance (postcodes, "Marie"). */
export const MIN_NEEDLE = 5;

const pairs = (s: string, sep: string): string => s.match(/.{1,2}/g)!.join(sep);
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

/** Every writing of an E.164 French number: national, international, `00`, bare digits. */
export function phoneWritings(e164: string): string[] {
  const cc = e164.startsWith('+33') ? '33' : e164.slice(1, 4);
  const nsn = e164.slice(1 + cc.length);
  const national = `0${nsn}`;
  const intlGroups = cc === '33' ? `${nsn[0]} ${pairs(nsn.slice(1), ' ')}` : `${nsn.slice(0, 3)} ${pairs(nsn.slice(3), ' ')}`;
  return [
    e164,
    e164.slice(1), // E.164 digits without "+"
    `00${cc}${nsn}`,
    national,
    nsn, // the bare national significant number
    pairs(national, ' '),
    pairs(national, '.'),
    pairs(national, '-'),
    `${national.slice(0, 4)} ${pairs(national.slice(4), ' ')}`, // overseas 4-2-2-2
    `+${cc} ${intlGroups}`,
    `00${cc} ${intlGroups}`,
  ];
}

/** The writings of one person's values, by kind (names and streets of at least MIN_NEEDLE characters). */
export function personNeedles(p: Person): [NeedleKind, string][] {
  const out: [NeedleKind, string][] = [];
  const capitalised = p.email.replace(/(^|[._@-])([a-z])/g, (_m, a: string, c: string) => a + c.toUpperCase());
  for (const e of [p.email, p.email.toUpperCase(), capitalised]) out.push(['email', e]);
  const local = p.email.slice(0, p.email.indexOf('@'));
  if (local.length >= 8) out.push(['email', local]);
  for (const w of phoneWritings(p.phone)) out.push(['phone', w]);
  const n = p.nir;
  out.push(
    ['nir', n],
    ['nir', n.slice(0, 13)],
    ['nir', `${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10, 13)} ${n.slice(13)}`],
  );
  for (const name of [p.firstName, p.lastName]) {
    for (const w of [name, name.toUpperCase(), fold(name), fold(name).toUpperCase()]) out.push(['name', w]);
  }
  out.push(['iban', p.iban], ['iban', p.iban.slice(4)], ['iban', p.iban.match(/.{1,4}/g)!.join(' ')]);
  out.push(['address', p.address.street]);
  if (p.siret) out.push(['siret', p.siret], ['siret', `${p.siret.slice(0, 3)} ${p.siret.slice(3, 6)} ${p.siret.slice(6, 9)} ${p.siret.slice(9)}`]);
  out.push(['password', p.passwordHash], ['account', p.accountId]);
  return out.filter(([, w]) => w.length >= MIN_NEEDLE);
}

/** Columns (CSV headers, NDJSON paths) holding personal values; dates, postcodes and cities are too short or common. */
const PERSONAL = new Set([
  'nom',
  'prenom',
  'email',
  'telephone',
  'adresse',
  'nir',
  'iban',
  'siret',
  'mot_de_passe',
  'id_compte',
  'contact.email',
  'contact.telephones',
  'adresse.rue',
]);

/** The values of personal columns as written in a fixture (trimmed), parsed with third-party parsers. */
export function writtenCells(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const walk = (path: string, v: unknown): void => {
    if (typeof v === 'string') {
      if (PERSONAL.has(path)) out.push(v.trim());
    } else if (Array.isArray(v)) for (const x of v) walk(path, x);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(path ? `${path}.${k}` : k, x);
  };
  if (file.endsWith('.csv')) for (const r of Papa.parse<Record<string, string>>(text, { header: true, delimiter: ';', skipEmptyLines: true }).data) walk('', r);
  else for (const line of text.trim().split('\n')) walk('', JSON.parse(line));
  return out;
}

/** 32-bit keys of the 4, 8 or 16 bytes at `i`; collisions are fine, every candidate is compared whole. */
const key4 = (b: Buffer, i: number): number => b.readUInt32LE(i);
const key8 = (b: Buffer, i: number): number => (b.readUInt32LE(i) ^ Math.imul(b.readUInt32LE(i + 4), 0x9e3779b1)) >>> 0;
const key16 = (b: Buffer, i: number): number => (key8(b, i) ^ Math.imul(key8(b, i + 8), 0x85ebca6b)) >>> 0;
/** Key length in bytes for a needle of `n` bytes: as long as possible, so buckets stay small. */
const keyLength = (n: number): 4 | 8 | 16 => (n >= 16 ? 16 : n >= 8 ? 8 : 4);

/**
 * A set of needles searched in one pass over a buffer. Each needle is bucketed by a window of
 * 16, 8 or 4 of its bytes, taken from its middle: beginnings are shared by thousands of
 * needles ("FR76 3000", "0033 6", "+262 692") and would make buckets long. A table of the
 * windows' first two bytes skips most positions of binary data without a probe, so a scan
 * costs a few operations per byte whatever the number of needles.
 */
export class NeedleSet {
  private readonly seen = new Set<string>();
  private readonly buckets = { 4: new Map<number, Entry[]>(), 8: new Map<number, Entry[]>(), 16: new Map<number, Entry[]>() };
  private readonly firstTwo = new Uint8Array(65536);

  get size(): number {
    return this.seen.size;
  }

  /** Adds a value in UTF-8 and UTF-16LE; values shorter than MIN_NEEDLE are ignored. */
  add(kind: NeedleKind, text: string): void {
    if (text.length < MIN_NEEDLE || this.seen.has(text)) return;
    this.seen.add(text);
    for (const encoding of ['utf8', 'utf16le'] as const) {
      const bytes = Buffer.from(text, encoding);
      const len = keyLength(bytes.length);
      const at = len === 4 ? 0 : (bytes.length - len) >> 1;
      const k = len === 16 ? key16(bytes, at) : len === 8 ? key8(bytes, at) : key4(bytes, at);
      const map = this.buckets[len];
      let bucket = map.get(k);
      if (!bucket) map.set(k, (bucket = []));
      bucket.push({ bytes, at, text, kind, encoding });
      this.firstTwo[bytes.readUInt16LE(at)] = 1;
    }
  }

  has(text: string): boolean {
    return this.seen.has(text);
  }

  /** Every occurrence of every needle in `hay` (`where` names the source in the hits). */
  search(where: string, hay: Buffer): Hit[] {
    const hits: Hit[] = [];
    const check = (bucket: Entry[] | undefined, j: number): void => {
      if (!bucket) return;
      for (const e of bucket) {
        const i = j - e.at;
        if (i >= 0 && i + e.bytes.length <= hay.length && hay.compare(e.bytes, 0, e.bytes.length, i, i + e.bytes.length) === 0) {
          hits.push({ where, kind: e.kind, needle: e.text, encoding: e.encoding, offset: i });
        }
      }
    };
    const { 4: b4, 8: b8, 16: b16 } = this.buckets;
    for (let i = 0; i + 4 <= hay.length; i++) {
      if (this.firstTwo[hay[i]! | (hay[i + 1]! << 8)] === 0) continue;
      if (i + 16 <= hay.length) check(b16.get(key16(hay, i)), i);
      if (i + 8 <= hay.length) check(b8.get(key8(hay, i)), i);
      check(b4.get(key4(hay, i)), i);
    }
    return hits;
  }
}

/** One line per hit, for an assertion message: the values are synthetic, printing them is safe. */
export function describeHits(hits: Hit[], max = 20): string {
  return hits
    .slice(0, max)
    .map((h) => `${h.where} @${h.offset}: ${h.kind} ${JSON.stringify(h.needle)} (${h.encoding})`)
    .join('\n');
}
