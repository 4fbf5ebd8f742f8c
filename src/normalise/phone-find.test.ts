import { describe, expect, it } from 'vitest';
import { findPhones } from './phone-find.js';

describe('findPhones', () => {
  it('finds French numbers in a free-text note, in order, without duplicates', () => {
    const note =
      'Client rappelé le 12/03 au 06 12 34 56 78 (portable), bureau : 01.42.68.53.00. ' +
      'Ancien numéro +33 (0)7 31 23 45 67 ; à La Réunion : 0692 12 34 56. Rappel : 0612345678.';
    expect(findPhones(note)).toEqual(['+33612345678', '+33142685300', '+33731234567', '+262692123456']);
  });

  it('splits numbers written one after the other', () => {
    expect(findPhones('06 12 34 56 78 07 98 76 54 32')).toEqual(['+33612345678', '+33798765432']);
    expect(findPhones('tel:0612345678/0798765432')).toEqual(['+33612345678', '+33798765432']);
  });

  it('finds international writings, French and foreign', () => {
    expect(findPhones('Joignable au +590 690 12 34 56 ou à Londres au +44 20 7946 0958.')).toEqual(['+590690123456', '+442079460958']);
    expect(findPhones('fax 0033 1 42 68 53 00')).toEqual(['+33142685300']);
  });

  it('ignores digits that belong to other tokens or values', () => {
    expect(findPhones('')).toEqual([]);
    expect(findPhones('Commande n°A0612345678 du 2024-03-12')).toEqual([]);
    expect(findPhones('SIRET 552 100 554 00025, IBAN FR14 2004 1010 0505 0001 3M02 606')).toEqual([]);
    expect(findPhones('ref 0612345678abc')).toEqual([]);
    expect(findPhones('compte 123406123456789')).toEqual([]);
    expect(findPhones('04 01 23 45 67 est un numéro non attribué')).toEqual([]);
  });

  it('stays linear on hostile text', () => {
    const hostile = '+1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 '.repeat(5_000) + '0'.repeat(200_000) + ' 06 12 34 56 78';
    const started = process.hrtime.bigint();
    expect(findPhones(hostile)).toEqual(['+33612345678']);
    // Generous bound: a quadratic scan of this text would take minutes.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(10);
  });
});
