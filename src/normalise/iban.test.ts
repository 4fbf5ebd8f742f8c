import { describe, expect, it } from 'vitest';
import { normaliseIban, normaliseRib } from './iban.js';

describe('normaliseIban', () => {
  // Examples published in the SWIFT IBAN registry / ECBS, and synthetic French accounts whose
  // check digits and RIB keys were computed apart from this code.
  it.each([
    ['FR14 2004 1010 0505 0001 3M02 606', 'FR1420041010050500013M02606'],
    ['fr14 2004 1010 0505 0001 3m02 606', 'FR1420041010050500013M02606'],
    ['FR76 3000 4000 0312 3456 7890 143', 'FR7630004000031234567890143'],
    ['FR33 3000 2005 5000 0015 7841 Z25', 'FR3330002005500000157841Z25'],
    ['GP73 1286 9000 0200 0000 0123 486', 'GP7312869000020000000123486'],
    ['MC58 1122 2000 0101 2345 6789 030', 'MC5811222000010123456789030'],
    ['GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432'],
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['BE68 5390 0754 7034', 'BE68539007547034'],
    ['NL91ABNA0417164300', 'NL91ABNA0417164300'],
    ['ES91 2100 0418 4502 0005 1332', 'ES9121000418450200051332'],
    ['IT60 X054 2811 1010 0000 0123 456', 'IT60X0542811101000000123456'],
    ['CH93 0076 2011 6238 5295 7', 'CH9300762011623852957'],
    ['NO93 8601 1117 947', 'NO9386011117947'],
    ['FR14-2004-1010-0505-0001-3M02-606', 'FR1420041010050500013M02606'],
  ])('accepts %j', (raw, canonical) => {
    expect(normaliseIban(raw)).toBe(canonical);
  });

  it('returns a compact canonical input unchanged', () => {
    const raw = 'DE89370400440532013000';
    expect(normaliseIban(raw)).toBe(raw);
  });

  it.each([
    ['FR14 2004 1010 0505 0001 3M02 607', 'check digits do not match'],
    ['FR84 2004 1010 0505 0001 3M02 607', 'IBAN check holds, RIB key does not'],
    ['GP50 1286 9000 0200 0000 0123 415', 'overseas French BBAN with a wrong RIB key'],
    ['FR55 3000 4000 0312 3456 7890 14', 'French IBAN one character short'],
    ['GB82 WEST 1234 5698 7654 33', 'wrong check digit'],
    ['GB82 WEST 1234 5698 7654 3', 'too short for GB'],
    ['DE89 3704 0044 0532 0130 000', 'too long for DE'],
    ['XX89 3704 0044 0532 0130 00', 'unknown country'],
    ['US64 SVBK US6S 3300 9673 86', 'country without IBAN'],
    ['GB82 1234 1234 5698 7654 32', 'digits where GB has the bank code letters'],
    ['2B82 WEST 1234 5698 7654 32', 'country is not two letters'],
    ['GB8W WEST 1234 5698 7654 32', 'check digits are not digits'],
    ['FR14 2004 1010 0505 0001 3M02 60€', 'foreign character'],
    ['', 'empty'],
    ['FR14', 'country and check only'],
    ['FR14 2004 1010 0505 0001 3M02 606 '.repeat(3), 'far too long'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseIban(raw)).toBeNull();
  });

  it('rejects check digits 00, 01 and 99 even when the modulo passes', () => {
    // 00 ≡ 97 and 01 ≡ 98 modulo 97, so a valid IBAN with check digits 97 or 98 has a twin that
    // passes MOD 97-10. Find synthetic German accounts with such check digits and test the twins.
    const twins: string[] = [];
    for (let account = 0; account < 1_000 && twins.length < 4; account++) {
      const iban = withCheckDigits('DE', '37040044' + String(account).padStart(10, '0'));
      const check = iban.slice(2, 4);
      if (check === '97' || check === '98') {
        expect(normaliseIban(iban)).toBe(iban);
        twins.push(iban.slice(0, 2) + (check === '97' ? '00' : '01') + iban.slice(4));
      }
      if (check === '02') {
        expect(normaliseIban(iban)).toBe(iban);
        twins.push(iban.slice(0, 2) + '99' + iban.slice(4));
      }
    }
    expect(twins.length).toBe(4);
    for (const twin of twins) expect(normaliseIban(twin)).toBeNull();
  });
});

/** IBAN check digits by the ISO 13616 definition, in BigInt (test helper, independent of the code). */
function withCheckDigits(country: string, bban: string): string {
  const digits = [...(bban + country + '00')].map((c) => parseInt(c, 36).toString()).join('');
  const check = 98n - (BigInt(digits) % 97n);
  return country + check.toString().padStart(2, '0') + bban;
}

describe('normaliseRib', () => {
  it.each([
    ['20041 01005 0500013M026 06', 'FR1420041010050500013M02606'],
    ['30004 00003 12345678901 43', 'FR7630004000031234567890143'],
    ['3000200550 0000157841z25', 'FR3330002005500000157841Z25'],
  ])('turns the RIB %j into its IBAN', (raw, iban) => {
    expect(normaliseRib(raw)).toBe(iban);
    expect(normaliseIban(iban)).toBe(iban);
  });

  it.each([
    ['20041 01005 0500013M026 07', 'wrong key'],
    ['2004A 01005 0500013M026 06', 'letter in the bank code'],
    ['20041 01005 0500013M026 0A', 'letter in the key'],
    ['20041 01005 0500013M026', 'no key'],
    ['20041 01005 0500013M026 066', 'one digit too many'],
    ['20041/01005/0500013M026/06', 'unknown separator'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseRib(raw)).toBeNull();
  });
});
