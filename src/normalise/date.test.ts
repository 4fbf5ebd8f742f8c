import { describe, expect, it } from 'vitest';
import { normaliseBirthDate } from './date.js';

const NOW = new Date('2025-06-15T10:00:00Z');

describe('normaliseBirthDate', () => {
  it.each([
    ['12/03/1985', '1985-03-12'],
    ['1/3/1985', '1985-03-01'],
    ['01/03/1985', '1985-03-01'],
    ['03/04/1985', '1985-04-03'], // day first: 3 April
    ['12-03-1985', '1985-03-12'],
    ['12.03.1985', '1985-03-12'],
    ['1985-03-12', '1985-03-12'],
    ['1985/03/12', '1985-03-12'],
    ['1985.3.2', '1985-03-02'],
    ['19850312', '1985-03-12'],
    ['12031985', '1985-03-12'],
    ['20011990', '1990-01-20'],
    ['1985-03-12T00:00:00', '1985-03-12'],
    ['1985-03-11T23:00:00.000Z', '1985-03-11'], // time zone ignored, see the decision
    ['1985-03-12 00:00:00', '1985-03-12'],
    ['1985-03-12T00:00:00+01:00', '1985-03-12'],
    ['12/03/1985 00:00', '1985-03-12'],
    ['12 mars 1985', '1985-03-12'],
    ['12 Mars 1985', '1985-03-12'],
    ['1er mars 1985', '1985-03-01'],
    ['1 mars 1985', '1985-03-01'],
    ['3 février 2001', '2001-02-03'],
    ['3 fevrier 2001', '2001-02-03'],
    ['3 févr. 2001', '2001-02-03'],
    ['15 août 1962', '1962-08-15'],
    ['15 AOÛT 1962', '1962-08-15'],
    ['25 décembre 1999', '1999-12-25'],
    ['7 sept. 1944', '1944-09-07'],
    ['  12/03/1985\u00a0', '1985-03-12'],
    ['12/31/1985', '1985-12-31'], // day first impossible: month first
    ['29/02/2000', '2000-02-29'], // leap year (divisible by 400)
    ['29/02/1984', '1984-02-29'],
    ['01/01/1900', '1900-01-01'], // lower bound
    ['15/06/2025', '2025-06-15'], // today
  ])('reads %j as %s', (raw, iso) => {
    expect(normaliseBirthDate(raw, NOW)).toBe(iso);
  });

  it('returns a canonical input itself', () => {
    const raw = '1985-03-12';
    expect(normaliseBirthDate(raw, NOW)).toBe(raw);
  });

  it.each([
    ['29/02/1985', 'not a leap year'],
    ['29/02/1900', '1900 is not a leap year'],
    ['31/04/1985', 'April has 30 days'],
    ['00/03/1985', 'day 0'],
    ['12/00/1985', 'month 0'],
    ['32/01/1985', 'day 32'],
    ['13/13/1985', 'neither reading works'],
    ['31/12/1899', 'before 1900'],
    ['16/06/2025', 'after today'],
    ['12/03/85', 'two-digit year'],
    ['12/03-1985', 'mixed separators'],
    ['12 / 03 / 1985', 'spaces around separators'],
    ['1985-13-01', 'month 13'],
    ['1985-02-30', 'February 30'],
    ['19851312', 'eight digits, no valid reading'],
    ['198503120', 'nine digits'],
    ['1985-03-12X', 'trailing garbage'],
    ['1985-03-12T', 'empty time'],
    ['1985-03-12Tabc', 'not a time'],
    ['12 marsh 1985', 'not a month'],
    ['12 mars', 'no year'],
    ['2er mars 1985', '"er" only after 1'],
    ['12 mars 1985 à Lyon', 'trailing words'],
    ['', 'empty'],
    ['hier', 'not a date'],
    ['12/03/1985'.repeat(6), 'far too long'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseBirthDate(raw, NOW)).toBeNull();
  });

  it('defaults to the real clock', () => {
    expect(normaliseBirthDate('12/03/1985')).toBe('1985-03-12');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const iso = tomorrow.toISOString().slice(0, 10);
    expect(normaliseBirthDate(iso)).toBeNull();
  });
});

describe('normaliseBirthDate: epoch integers in a birth date column', () => {
  const epoch = (raw: string) => normaliseBirthDate(raw, new Date('2026-12-01T00:00:00Z'), { epoch: true });
  it('milliseconds and seconds, before and after 1970', () => {
    expect(epoch('479606400000')).toBe('1985-03-14');
    expect(epoch('479606400')).toBe('1985-03-14');
    expect(epoch('-631065600000')).toBe('1950-01-02');
    expect(epoch('-631065600')).toBe('1950-01-02');
    // January 1970 in milliseconds: as seconds it would be 2041.
    expect(epoch('2246400000')).toBe('1970-01-27');
  });
  it('eight digits stay a date writing; placeholders and future instants are no date', () => {
    expect(epoch('19850314')).toBe('1985-03-14');
    expect(epoch('0')).toBeNull();
    expect(epoch('000000')).toBeNull();
    expect(epoch('4796064000000')).toBeNull();
    expect(normaliseBirthDate('479606400000')).toBeNull();
  });
});
