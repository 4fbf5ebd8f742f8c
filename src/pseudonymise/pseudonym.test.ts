import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VigieError } from '../errors.js';
import { HmacSha256 } from './hmac.js';
import { keyFingerprint, PSEUDONYM_BYTES, pseudonymise, Pseudonymiser } from './pseudonym.js';
import type { IdentifierKind } from './pseudonym.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// RFC 4231 §4: HMAC-SHA-256 test vectors (case 5 is truncated to 128 bits, like our pseudonyms).
const rfc4231: { key: Buffer; data: Buffer; mac: string }[] = [
  { key: Buffer.alloc(20, 0x0b), data: Buffer.from('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { key: Buffer.from('Jefe'), data: Buffer.from('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { key: Buffer.alloc(20, 0xaa), data: Buffer.alloc(50, 0xdd), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  {
    key: Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)),
    data: Buffer.alloc(50, 0xcd),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  { key: Buffer.alloc(20, 0x0c), data: Buffer.from('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
  {
    key: Buffer.alloc(131, 0xaa),
    data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    key: Buffer.alloc(131, 0xaa),
    data: Buffer.from(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

describe('HmacSha256', () => {
  it.each(rfc4231.map((v, i) => [i + 1, v] as const))('matches RFC 4231 test case %i', (_n, v) => {
    const out = new Uint8Array(v.mac.length / 2);
    new HmacSha256(v.key).digestInto(v.data, 0, v.data.length, out, 0, out.length);
    expect(hex(out)).toBe(v.mac);
  });

  it('matches node:crypto for every message length around the padding boundaries', () => {
    const key = randomBytes(32);
    const h = new HmacSha256(key);
    const out = new Uint8Array(32);
    // 55/56 and 119/120 bytes are where the length field stops fitting in the last block.
    for (let len = 0; len <= 200; len++) {
      const msg = randomBytes(len + 7);
      h.digestInto(msg, 3, 3 + len, out, 0, 32);
      expect(hex(out)).toBe(
        createHmac('sha256', key)
          .update(msg.subarray(3, 3 + len))
          .digest('hex'),
      );
    }
  });

  it('writes only the requested bytes at the requested offset', () => {
    const out = Buffer.alloc(40, 0xee);
    new HmacSha256(Buffer.from('Jefe')).digestInto(Buffer.from('what do ya want for nothing?'), 0, 28, out, 4, 16);
    expect(hex(out.subarray(0, 4))).toBe('eeeeeeee');
    expect(hex(out.subarray(4, 20))).toBe('5bdcc146bf60754e6a042426089575c7');
    expect(hex(out.subarray(20))).toBe('ee'.repeat(20));
  });
});

// Key 00 01 .. 1f; expected values computed independently with Python's hmac module. They pin
// the construction: if one changes, every pseudonym already stored is orphaned.
const goldenKey = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const golden: [IdentifierKind, string, string | undefined, string][] = [
  ['email', 'camille.martin@example.fr', undefined, 'b1c8d0d467e9835da721a683b1750a03'],
  ['phone', '+33612345678', undefined, '1f12099ac9f17e9c99f1be0d88ffc9f8'],
  ['nir', '185057800608491', undefined, 'badb105fc3e43a5498f53045a8711074'],
  ['namedob', 'martin|camille|1985-05-14', undefined, 'd0849b5eedf723af55274a1abb64c0e6'],
  ['account', 'u-000123', 'FranceTitresTest', '9a569958bcb2f2fe1af49aa4142e6dc1'],
  ['email', 'élodie.lefèvre@exemple.fr', undefined, '44c306cd8a604398b0e2bb187fc1249d'],
];

describe('pseudonymise', () => {
  it.each(golden)('%s %s gives the pinned pseudonym', (kind, canonical, scope, expected) => {
    expect(hex(pseudonymise(goldenKey, kind, canonical, scope))).toBe(expected);
    expect(hex(new Pseudonymiser(goldenKey).one(kind, canonical, scope))).toBe(expected);
  });

  it('is deterministic and 16 bytes long', () => {
    const key = randomBytes(32);
    const a = pseudonymise(key, 'email', 'lucas.bernard@example.fr');
    expect(a.length).toBe(PSEUDONYM_BYTES);
    expect(pseudonymise(key, 'email', 'lucas.bernard@example.fr').equals(a)).toBe(true);
  });

  it('depends on the key', () => {
    const a = pseudonymise(randomBytes(32), 'email', 'lucas.bernard@example.fr');
    const b = pseudonymise(randomBytes(32), 'email', 'lucas.bernard@example.fr');
    expect(a.equals(b)).toBe(false);
  });

  it('separates kinds: the same text as email and as phone gives two pseudonyms', () => {
    const key = randomBytes(32);
    const seen = new Set(['email', 'phone', 'nir', 'namedob'].map((k) => hex(pseudonymise(key, k as IdentifierKind, '0612345678'))));
    seen.add(hex(pseudonymise(key, 'account', '0612345678', 'LeakA')));
    expect(seen.size).toBe(5);
  });

  it('separates account scopes, and a NUL cannot shift text between scope and value', () => {
    const key = randomBytes(32);
    const a = pseudonymise(key, 'account', 'u-42', 'LeakA');
    expect(pseudonymise(key, 'account', 'u-42', 'LeakB').equals(a)).toBe(false);
    expect(() => pseudonymise(key, 'account', 'c', 'a\0b')).toThrow(VigieError);
  });

  it('refuses misuse that would merge or split namespaces', () => {
    const key = randomBytes(32);
    expect(() => pseudonymise(key, 'account', 'u-42')).toThrow(/scope/);
    expect(() => pseudonymise(key, 'email', 'a@example.fr', 'LeakA')).toThrow(/no scope/);
    expect(() => pseudonymise(key, 'iban' as IdentifierKind, 'FR76')).toThrow(/unknown identifier kind/);
    expect(() => pseudonymise(key, 'email', '')).toThrow(/empty/);
    expect(() => pseudonymise(randomBytes(16), 'email', 'a@example.fr')).toThrow(/32 bytes/);
    expect(() => new Pseudonymiser(randomBytes(31))).toThrow(/32 bytes/);
  });
});

describe('Pseudonymiser', () => {
  it('agrees with the reference on random, non-ASCII and long identifiers', () => {
    const key = randomBytes(32);
    const p = new Pseudonymiser(key);
    const values = [
      'zoé.dupont@example.fr',
      'x'.repeat(682),
      'x'.repeat(683),
      'é'.repeat(1000),
      '😀'.repeat(700),
      'lone \ud800 surrogate',
      ...Array.from({ length: 300 }, () => randomBytes(1 + (randomBytes(1)[0]! % 120)).toString('latin1')),
    ];
    for (const v of values) expect(hex(p.one('email', v))).toBe(hex(pseudonymise(key, 'email', v)));
    expect(hex(p.one('account', 'u-1', 'LeakA'))).toBe(hex(pseudonymise(key, 'account', 'u-1', 'LeakA')));
  });

  it('many() concatenates in input order', () => {
    const key = randomBytes(32);
    const emails = ['a.martin@example.fr', 'b.durand@example.fr', 'c.petit@example.fr'];
    const out = new Pseudonymiser(key).many('email', emails);
    expect(out.length).toBe(48);
    emails.forEach((e, i) => {
      expect(out.subarray(i * 16, i * 16 + 16).equals(pseudonymise(key, 'email', e))).toBe(true);
    });
  });

  it('writeInto leaves the bytes around the pseudonym alone', () => {
    const out = Buffer.alloc(48, 0xab);
    new Pseudonymiser(goldenKey).writeInto(out, 16, 'phone', '+33612345678');
    expect(hex(out.subarray(16, 32))).toBe('1f12099ac9f17e9c99f1be0d88ffc9f8');
    expect(out.subarray(0, 16).every((b) => b === 0xab) && out.subarray(32).every((b) => b === 0xab)).toBe(true);
  });
});

describe('keyFingerprint', () => {
  it('is stable for a key and differs between keys', () => {
    expect(keyFingerprint(goldenKey)).toBe('11289ad94e0cd34a1b2ac0b232f27d69');
    expect(keyFingerprint(randomBytes(32))).not.toBe(keyFingerprint(goldenKey));
  });
});
