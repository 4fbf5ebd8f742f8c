/**
 * The cell formatters on the edges DuckDB's files rarely reach: dates far from now, instants
 * before 1970, decimals of every scale, floats that print long as doubles; checked against
 * JavaScript's own Date where it has an answer.
 */
import { describe, expect, it } from 'vitest';
import { dateText, decimalText, float32, leafFormat, timestampText } from './cells.js';

describe('Parquet cell formatters', () => {
  it('a day number as YYYY-MM-DD, as Date.toISOString gives it, from year 1 to 9999', () => {
    // Date.UTC reads years 0 to 99 as 1900 to 1999: setUTCFullYear does not.
    const first = new Date(0).setUTCFullYear(1, 0, 1) / 86_400_000 - 1;
    const last = Date.UTC(9999, 11, 31) / 86_400_000;
    for (let d = first + 1; d <= last; d += 997) {
      expect(dateText(d), String(d)).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
    }
    expect(dateText(0)).toBe('1970-01-01');
    expect(dateText(-1)).toBe('1969-12-31');
    expect(dateText(11_016)).toBe('2000-02-29');
    expect(dateText(last)).toBe('9999-12-31');
    expect(dateText(last + 1)).toBe('10000-01-01');
    // Before year 1, as DuckDB writes it.
    expect(dateText(first)).toBe('0001-12-31 (BC)');
  });

  it('an instant as YYYY-MM-DD HH:MM:SS and its fraction without trailing zeros, before 1970 too', () => {
    expect(timestampText(0n, 'MICROS')).toBe('1970-01-01 00:00:00');
    expect(timestampText(-1n, 'MICROS')).toBe('1969-12-31 23:59:59.999999');
    expect(timestampText(1_684_315_815_250_000n, 'MICROS')).toBe('2023-05-17 09:30:15.25');
    expect(timestampText(1_577_836_800_500n, 'MILLIS')).toBe('2020-01-01 00:00:00.5');
    expect(timestampText(1_577_836_800_123_456_789n, 'NANOS')).toBe('2020-01-01 00:00:00.123456789');
    expect(timestampText(-86_400_001n, 'MILLIS')).toBe('1969-12-30 23:59:59.999');
  });

  it('a decimal with every digit and its scale', () => {
    expect(decimalText(123450n, 2)).toBe('1234.50');
    expect(decimalText(-5n, 3)).toBe('-0.005');
    expect(decimalText(0n, 2)).toBe('0.00');
    expect(decimalText(42n, 0)).toBe('42');
    expect(decimalText(42n, -2)).toBe('4200');
    expect(decimalText(-(10n ** 37n) - 1n, 3)).toBe('-10000000000000000000000000000000000.001');
  });

  it('a FLOAT as the shortest text of its 32 bits', () => {
    expect(float32(Math.fround(0.1))).toBe('0.1');
    expect(float32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(float32(Math.fround(16_777_217))).toBe('16777216');
    expect(float32(Math.fround(3.4e38))).toBe('3.4e+38');
    expect(float32(Number.NaN)).toBe('NaN');
    expect(float32(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });

  it('unsigned integers, float16, intervals, and text already made left as it is', () => {
    expect(leafFormat({ name: 'u', type: 'INT32', converted_type: 'UINT_32' })(-1)).toBe('4294967295');
    expect(leafFormat({ name: 'u', type: 'INT64', logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false } })(-1n)).toBe('18446744073709551615');
    expect(leafFormat({ name: 'h', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 2, logical_type: { type: 'FLOAT16' } })(new Uint8Array([0x00, 0x3c]))).toBe('1');
    const interval = new Uint8Array(12);
    new DataView(interval.buffer).setUint32(8, 3_723_004, true);
    expect(leafFormat({ name: 'i', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12, converted_type: 'INTERVAL' })(interval)).toBe('01:02:03.004');
    expect(leafFormat({ name: 'i', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12, converted_type: 'INTERVAL' })(new Uint8Array(12))).toBe('00:00:00');
    const ts = leafFormat({ name: 't', type: 'INT96' });
    expect(ts('2020-01-01 00:00:00')).toBe('2020-01-01 00:00:00');
    expect(ts(null)).toBeNull();
    // A BLOB of text is text; with control characters or invalid UTF-8, hex.
    const b = leafFormat({ name: 'b', type: 'BYTE_ARRAY' });
    expect(b(Buffer.from('Lefèvre'))).toBe('Lefèvre');
    expect(b(Buffer.from([0x41, 0x00]))).toBe('0x4100');
    expect(b(Buffer.from([0xc3]))).toBe('0xC3');
    // A string column keeps invalid UTF-8 as U+FFFD.
    expect(leafFormat({ name: 's', type: 'BYTE_ARRAY', converted_type: 'UTF8' })(Buffer.from([0x41, 0xff]))).toBe('A\ufffd');
  });
});
