/**
 * For `at-rest.test.ts` (DESIGN.md, invariant 1): the raw values of a generated leak in every
 * usual writing ("needles"), and a search of any bytes for all of them at once, in UTF-8 and
 * UTF-16LE. Values come from the generator's people; the writings are rebuilt here, not taken
 * from the generator's writers, so a writing the generator never uses is still searched.
 */
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
  out.push(['nir', n], ['nir', n.slice(0, 13)], ['nir', `${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10, 13)} ${n.slice(13)}`]);
  for (const name of [p.firstName, p.lastName]) {
    for (const w of [name, name.toUpperCase(), fold(name), fold(name).toUpperCase()]) out.push(['name', w]);
  }
  out.push(['iban', p.iban], ['iban', p.iban.slice(4)], ['iban', p.iban.match(/.{1,4}/g)!.join(' ')]);
  out.push(['address', p.address.street]);
  if (p.siret) out.push(['siret', p.siret], ['siret', `${p.siret.slice(0, 3)} ${p.siret.slice(3, 6)} ${p.siret.slice(6, 9)} ${p.siret.slice(9)}`]);
  out.push(['password', p.passwordHash], ['account', p.accountId]);
  return out.filter(([, w]) => w.length >= MIN_NEEDLE);
}

/** A 32-bit key of 4 or 8 bytes at `i`; collisions are fine, every candidate is compared whole. */
const key4 = (b: Buffer, i: number): number => b.readUInt32LE(i);
const key8 = (b: Buffer, i: number): number => (b.readUInt32LE(i) ^ Math.imul(b.readUInt32LE(i + 4), 0x9e3779b1)) >>> 0;

/**
 * A set of needles searched in one pass over a buffer: needles are bucketed by their first 8
 * bytes (first 4 for shorter ones), so a scan costs two map probes per byte whatever the count.
 */
export class NeedleSet {
  private readonly seen = new Set<string>();
  private readonly long = new Map<number, Entry[]>();
  private readonly short = new Map<number, Entry[]>();

  get size(): number {
    return this.seen.size;
  }

  /** Adds a value in UTF-8 and UTF-16LE; values shorter than MIN_NEEDLE are ignored. */
  add(kind: NeedleKind, text: string): void {
    if (text.length < MIN_NEEDLE || this.seen.has(text)) return;
    this.seen.add(text);
    for (const encoding of ['utf8', 'utf16le'] as const) {
      const bytes = Buffer.from(text, encoding);
      const map = bytes.length >= 8 ? this.long : this.short;
      const k = bytes.length >= 8 ? key8(bytes, 0) : key4(bytes, 0);
      let bucket = map.get(k);
      if (!bucket) map.set(k, (bucket = []));
      bucket.push({ bytes, text, kind, encoding });
    }
  }

  has(text: string): boolean {
    return this.seen.has(text);
  }

  /** Every occurrence of every needle in `hay` (`where` names the source in the hits). */
  search(where: string, hay: Buffer): Hit[] {
    const hits: Hit[] = [];
    const check = (bucket: Entry[] | undefined, i: number): void => {
      if (!bucket) return;
      for (const e of bucket) {
        if (i + e.bytes.length <= hay.length && hay.compare(e.bytes, 0, e.bytes.length, i, i + e.bytes.length) === 0) {
          hits.push({ where, kind: e.kind, needle: e.text, encoding: e.encoding, offset: i });
        }
      }
    };
    for (let i = 0; i + 4 <= hay.length; i++) {
      if (i + 8 <= hay.length) check(this.long.get(key8(hay, i)), i);
      check(this.short.get(key4(hay, i)), i);
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
