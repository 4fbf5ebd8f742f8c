import { extractIBAN, isValidIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { ibanCheckDigits, luhnCheckDigit, luhnValid, mod97, nirKey, ribKey } from './checks.js';
import { Rng } from './rng.js';

/** INSEE's formula with BigInt, written apart from checks.ts. */
function referenceNirKey(first13: string): number {
  const n = BigInt(first13.replace('2A', '19').replace('2B', '18'));
  return Number(97n - (n % 97n));
}

describe('mod97 and nirKey', () => {
  it('agree with BigInt arithmetic on random 13-digit bodies, Corsica included', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 5000; i++) {
      let body = String(1 + rng.int(2)) + rng.digits(4) + rng.digits(8);
      if (i % 5 === 1) body = `${body.slice(0, 5)}2A${body.slice(7)}`;
      if (i % 5 === 2) body = `${body.slice(0, 5)}2B${body.slice(7)}`;
      expect(nirKey(body)).toBe(referenceNirKey(body));
      if (!body.includes('A') && !body.includes('B')) expect(mod97(body)).toBe(Number(BigInt(body) % 97n));
    }
  });

  it('gives the key of the specimen NIR 2 55 08 14 168 025 and keys in 1..97', () => {
    expect(nirKey('2550814168025')).toBe(38);
    expect(nirKey('0000000000000')).toBe(97);
  });

  it('treats 2A and 2B differently from 20', () => {
    expect(nirKey('1800520004123')).not.toBe(nirKey('18005' + '2A' + '004123'));
    expect(nirKey('18005' + '2A' + '004123')).toBe(referenceNirKey('1800519004123'));
  });
});

describe('RIB key and IBAN check digits', () => {
  it('reproduce the published example FR76 3000 6000 0112 3456 7890 189', () => {
    expect(ribKey('30006', '00001', '12345678901')).toBe(89);
    expect(ibanCheckDigits('FR', '30006000011234567890189')).toBe('76');
  });

  it('produce IBANs that ibantools accepts, with the RIB parts intact', () => {
    const rng = new Rng(2);
    for (let i = 0; i < 500; i++) {
      const bank = rng.digits(5);
      const branch = rng.digits(5);
      const account = rng.digits(9) + rng.digits(2);
      const bban = bank + branch + account + String(ribKey(bank, branch, account)).padStart(2, '0');
      const iban = `FR${ibanCheckDigits('FR', bban)}${bban}`;
      expect(isValidIBAN(iban)).toBe(true);
      expect(extractIBAN(iban).bban).toBe(bban);
    }
  });

  it('handles letters in a BBAN (ISO 13616 letter values)', () => {
    // GB82 WEST 1234 5698 7654 32 is the standard's own example.
    expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
  });
});

describe('Luhn', () => {
  it('matches the textbook example and rejects a changed digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398714')).toBe(false);
    expect(luhnValid('7')).toBe(false);
  });
});
