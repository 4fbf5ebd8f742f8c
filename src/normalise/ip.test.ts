import { describe, expect, it } from 'vitest';
import { normaliseIp } from './ip.js';

// Addresses from the documentation ranges (RFC 5737, RFC 3849) and private ranges.
describe('normaliseIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    [' 198.51.100.42 ', '198.51.100.42'],
    ['10.0.0.1', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // RFC 5952 §4.2.3: the first longest run
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // RFC 5952 §4.2.2: one zero group stays
    ['::1', '::1'],
    ['::', '::'],
    ['::ffff:192.0.2.1', '192.0.2.1'], // IPv4-mapped
    ['::FFFF:C000:0201', '192.0.2.1'],
  ])('gives %j as %s', (raw, canonical) => {
    expect(normaliseIp(raw)).toBe(canonical);
  });

  it.each([
    ['', 'empty'],
    ['256.1.1.1', 'octet over 255'],
    ['192.0.2', 'three octets'],
    ['010.0.0.1', 'leading zero'],
    ['192.0.2.1:8080', 'port'],
    ['192.0.2.1/24', 'prefix'],
    ['2001:db8::1::2', 'two compressions'],
    ['2001:db8::g', 'not hex'],
    ['fe80::1%eth0', 'zone identifier'],
    ['[2001:db8::1]', 'brackets'],
    ['localhost', 'host name'],
    ['1'.repeat(80), 'too long'],
  ])('rejects %j (%s)', (raw) => {
    expect(normaliseIp(raw)).toBeNull();
  });
});
