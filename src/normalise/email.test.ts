import { describe, expect, it } from 'vitest';
import { findEmails, normaliseEmail } from './email.js';

describe('normaliseEmail', () => {
  it.each([
    ['jean.dupont@orange.fr', 'jean.dupont@orange.fr'],
    ['  Jean.Dupont@Orange.FR \t', 'jean.dupont@orange.fr'],
    ['\u00a0marie-claire.lefevre@free.fr\u00a0', 'marie-claire.lefevre@free.fr'],
    ['J.Dupont+impots@GMail.com', 'j.dupont+impots@gmail.com'], // dots and tag kept
    ["o'connor@laposte.net", "o'connor@laposte.net"],
    ['user_42@sub.mail.example.co.uk', 'user_42@sub.mail.example.co.uk'],
    ['a@b.fr', 'a@b.fr'],
    ['contact@xn--caf-dma.fr', 'contact@xn--caf-dma.fr'],
    ['nom@exemple.xn--p1ai', 'nom@exemple.xn--p1ai'], // IDN top-level domain
    ['x@123.fr', 'x@123.fr'],
    ['l'.repeat(64) + '@example.fr', 'l'.repeat(64) + '@example.fr'],
  ])('accepts %j', (raw, canonical) => {
    expect(normaliseEmail(raw)).toBe(canonical);
  });

  it('returns the input itself when it is already canonical', () => {
    const raw = 'paul.martin@sfr.fr';
    expect(normaliseEmail(raw)).toBe(raw);
  });

  it.each([
    ['', 'empty'],
    ['jean.dupont', 'no @'],
    ['jean@dupont@orange.fr', 'two @'],
    ['@orange.fr', 'empty local part'],
    ['jean@', 'empty domain'],
    ['jean@orange', 'no dot in domain'],
    ['jean@orange.f', 'one-letter TLD'],
    ['jean@orange.f1', 'digit in TLD'],
    ['jean@orange.123', 'numeric TLD'],
    ['jean dupont@orange.fr', 'space'],
    ['.jean@orange.fr', 'leading dot'],
    ['jean.@orange.fr', 'trailing dot'],
    ['jean..dupont@orange.fr', 'double dot'],
    ['jean@orange..fr', 'empty label'],
    ['jean@.orange.fr', 'leading dot in domain'],
    ['jean@orange.fr.', 'trailing dot in domain'],
    ['jean@-orange.fr', 'label starting with a hyphen'],
    ['jean@orange-.fr', 'label ending with a hyphen'],
    ['jean@ora_nge.fr', 'underscore in domain'],
    ['jean@[192.168.1.1]', 'IP literal'],
    ['"jean dupont"@orange.fr', 'quoted local part'],
    ['françois@orange.fr', 'non-ASCII local part'],
    ['jean@café.fr', 'non-ASCII domain'],
    ['l'.repeat(65) + '@example.fr', 'local part over 64'],
    ['jean@' + 'a'.repeat(64) + '.fr', 'label over 63'],
    ['jean@' + 'abcdefghi.'.repeat(25) + 'fr', 'address over 254'],
    ['jean@orange.fr, marie@free.fr', 'two addresses'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseEmail(raw)).toBeNull();
  });
});

describe('findEmails', () => {
  it('finds addresses in free text, canonical, without duplicates', () => {
    const text = 'Contact : <Jean.Dupont@Orange.fr>, copie à marie@free.fr. ' + 'Relance (mailto:jean.dupont@orange.fr) ; ancienne adresse: j.d@wanadoo.fr;';
    expect(findEmails(text)).toEqual(['jean.dupont@orange.fr', 'marie@free.fr', 'j.d@wanadoo.fr']);
  });

  it('drops sentence punctuation and leading dots around an address', () => {
    expect(findEmails('Écrire à paul@sfr.fr.')).toEqual(['paul@sfr.fr']);
    expect(findEmails('...paul@sfr.fr...')).toEqual(['paul@sfr.fr']);
  });

  it('finds nothing in text without valid addresses', () => {
    expect(findEmails('')).toEqual([]);
    expect(findEmails('rendez-vous @ 14h à la mairie')).toEqual([]);
    expect(findEmails('@@@@ a@b @c.fr x@y.z')).toEqual([]);
  });

  it('does not cut an over-long local part into a shorter address', () => {
    expect(findEmails('x'.repeat(80) + '@example.fr')).toEqual([]);
  });

  it('stays linear on hostile text', () => {
    const hostile = ('a'.repeat(60) + '@' + 'b.'.repeat(120)).repeat(2_000) + ' ok@exemple.fr';
    const started = process.hrtime.bigint();
    const found = findEmails(hostile);
    expect(found.at(-1)).toBe('ok@exemple.fr');
    // Generous bound: only a super-linear scan could come near it.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
  });
});
