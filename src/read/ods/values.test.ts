import { describe, expect, it } from 'vitest';
import { dateText, isShownAsBoolean, timeText } from './values.js';

describe('ods values', () => {
  it('gives dates as ISO, the time only when there is one, rounded to the second', () => {
    expect(dateText('1985-03-12')).toBe('1985-03-12');
    expect(dateText('1985-03-12T00:00:00')).toBe('1985-03-12');
    expect(dateText('1990-07-01T14:30:00')).toBe('1990-07-01T14:30:00');
    expect(dateText('1999-12-31T23:59:59.7')).toBe('2000-01-01');
    expect(dateText('1899-12-30')).toBe('1899-12-30');
    // Not a date LibreOffice writes: kept as written.
    expect(dateText('12/03/1985')).toBe('12/03/1985');
    expect(dateText('99999-01-01')).toBe('99999-01-01');
  });

  it('gives times and durations as HH:MM:SS', () => {
    expect(timeText('PT08H15M00S')).toBe('08:15:00');
    expect(timeText('PT23H59M59.6S')).toBe('24:00:00');
    expect(timeText('P1DT2H')).toBe('26:00:00');
    expect(timeText('-PT01H30M00S')).toBe('-01:30:00');
    expect(timeText('08:15')).toBe('08:15');
  });

  it('tells a formula result shown as a boolean word, in the usual locales', () => {
    expect(isShownAsBoolean('1', 'TRUE')).toBe(true);
    expect(isShownAsBoolean('0', 'faux')).toBe(true);
    expect(isShownAsBoolean('1', '1')).toBe(false);
    expect(isShownAsBoolean('2', 'VRAI')).toBe(false);
  });
});
