import { describe, expect, it } from 'vitest';
import { builtinKind, columnOf, DATE, DATE_TIME, formatKind, NOT_DATE, numberText, serialText, TIME } from './cells.js';
import { decodeText } from './scan.js';

describe('cell values', () => {
  it('reads cell references as 0-based columns, Infinity past three letters', () => {
    expect([columnOf('A1'), columnOf('C5'), columnOf('Z9'), columnOf('AA1'), columnOf('XFD1048576'), columnOf('ABCD1')]).toEqual([
      0,
      2,
      25,
      26,
      16383,
      Number.POSITIVE_INFINITY,
    ]);
    expect(columnOf(undefined)).toBe(-1);
    expect(columnOf('12')).toBe(-1);
  });

  it('shows numbers as Excel does, to 15 significant digits, without float noise', () => {
    expect(numberText('612345678')).toBe('612345678');
    expect(numberText('0.1')).toBe('0.1');
    expect(numberText('0.10000000000000001')).toBe('0.1');
    expect(numberText('3.3000000000000003')).toBe('3.3');
    expect(numberText('185017512345678')).toBe('185017512345678');
    expect(numberText('6.1234567800000000E8')).toBe('612345678');
    expect(numberText('-1.5E-3')).toBe('-0.0015');
    expect(numberText('not a number')).toBe('not a number');
  });

  it('tells date and time formats from number formats', () => {
    expect(
      [
        'dd/mm/yyyy',
        'd mmmm yyyy',
        '[$-40C]d mmmm yyyy;@',
        'mmm-yy',
        'yyyy-mm-dd hh:mm:ss',
        'h:mm AM/PM',
        '0.00',
        '#,##0 "m"',
        '[h]:mm',
        'General',
        '\\d0',
      ].map(formatKind),
    ).toEqual([DATE, DATE, DATE, DATE, DATE_TIME, TIME, NOT_DATE, NOT_DATE, NOT_DATE, NOT_DATE, NOT_DATE]);
    expect([0, 1, 14, 22, 20, 49].map(builtinKind)).toEqual([NOT_DATE, NOT_DATE, DATE, DATE_TIME, TIME, NOT_DATE]);
  });

  it('turns serials into ISO dates in the 1900 and 1904 systems', () => {
    expect(serialText('31120', DATE, false)).toBe('1985-03-14');
    expect(serialText('45356.604166666664', DATE_TIME, false)).toBe('2024-03-05T14:30:00');
    expect(serialText('0.999999', TIME, false)).toBe('00:00:00');
    expect(serialText('29658', DATE, true)).toBe('1985-03-14');
    expect(serialText('-3', DATE, false)).toBe('-3');
    expect(serialText('3000000', DATE, false)).toBe('3000000');
  });

  it('decodes XML character references and keeps unknown ones as written', () => {
    expect(decodeText('a &amp; b &lt;&gt;&quot;&apos; &#233;&#x1F600; &nbsp; &#0; &#xD800;')).toBe('a & b <>"\' é😀 &nbsp; &#0; &#xD800;');
  });
});
