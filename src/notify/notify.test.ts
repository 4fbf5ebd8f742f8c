/**
 * The rules of `notify/` that the CLI tests reach only through their effects: the severity
 * ladder, the merge of statements, file names from untrusted ids, text for WinAnsi fonts.
 */
import { describe, expect, it } from 'vitest';
import { normaliseSiren } from '../normalise/index.js';
import { safeFileName } from './notices.js';
import { toWinAnsi } from './pdf.js';
import { checkIncident, checkOrgProfile, mergeStatement } from './statements.js';
import { proposeSeverity } from './typology.js';

describe('proposeSeverity', () => {
  it('climbs the CNIL ladder with what is exposed', () => {
    expect(proposeSeverity(['ip', 'gender']).level).toBe('negligible');
    expect(proposeSeverity(['email', 'name']).level).toBe('limited');
    expect(proposeSeverity(['email', 'password']).level).toBe('significant');
    expect(proposeSeverity(['nir']).level).toBe('significant');
    expect(proposeSeverity(['nir', 'dob']).level).toBe('maximum');
    expect(proposeSeverity(['email', 'health']).level).toBe('maximum');
    expect(proposeSeverity([]).level).toBe('negligible');
  });

  it('gives every rule that fired, with its classes', () => {
    const { reasons } = proposeSeverity(['iban', 'nir', 'name', 'email']);
    expect(reasons.map((r) => [r.level, r.rule, r.classes])).toEqual([
      ['maximum', 'nir-identity', ['nir', 'name']],
      ['significant', 'account-or-money', ['iban']],
      ['significant', 'identity-numbers', ['nir']],
      ['limited', 'contact-or-identity', ['email', 'name']],
    ]);
  });
});

describe('statements', () => {
  it('merge field by field, contacts too; an empty text removes a field', () => {
    const before = { name: 'Mutuelle', siren: '552100554', dpo: { name: 'Claire Dubois', email: 'dpo@mutuelle.example.fr' } };
    expect(mergeStatement(before, { siren: '', dpo: { email: 'rgpd@mutuelle.example.fr' } })).toEqual({
      name: 'Mutuelle',
      dpo: { name: 'Claire Dubois', email: 'rgpd@mutuelle.example.fr' },
    });
    expect(mergeStatement({ dpo: { name: 'X' } }, { dpo: { name: '' } })).toEqual({});
  });

  it('normalise the SIREN with the project’s own rule and the awareness time to UTC', () => {
    expect(checkOrgProfile({ siren: '552 100 554' }).siren).toBe(normaliseSiren('552 100 554'));
    expect(checkIncident({ aware: '2026-11-01T14:30+01:00' }).aware).toBe('2026-11-01T13:30:00Z');
    expect(() => checkIncident({ aware: '2026-13-01T14:30Z' })).toThrow(/--aware/);
    expect(() => checkOrgProfile({ favouriteColour: 'bleu' })).toThrow(/unknown field/);
  });
});

describe('safeFileName', () => {
  it('keeps plain ids, digests the others and ids taken in another case', () => {
    const taken = new Set<string>();
    expect(safeFileName('C-0042', taken)).toBe('C-0042');
    for (const hostile of ['../../etc/passwd', '/abs', 'a/b', '.hidden', 'dot.', 'c-0042', 'x'.repeat(101), 'nul\u0000']) {
      expect(safeFileName(hostile, taken), hostile).toMatch(/^_[0-9a-f]{16}$/);
    }
  });
});

describe('toWinAnsi', () => {
  it('keeps French whole and maps what Helvetica cannot draw', () => {
    expect(toWinAnsi('Cœur, « œuvre », l’été, 12 €…')).toBe('Cœur, « œuvre », l’été, 12 €…');
    expect(toWinAnsi('4\u202f756')).toBe('4\u00a0756');
    expect(toWinAnsi('Łódź 北')).toBe('?ód? ?');
  });
});
