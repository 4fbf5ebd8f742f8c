/**
 * IP addresses, canonical text form: IPv4 dotted decimal; IPv6 as RFC 5952 §4 recommends
 * (lower-case hex, leading zeros dropped, the longest run of zero groups compressed). An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 host it maps, so it gives the IPv4
 * form. Leading zeros in IPv4 (`010.0.0.1`) are rejected, since some software reads them as octal.
 * Zone identifiers (`fe80::1%eth0`) are rejected: they name an interface of the machine that
 * logged the address, not a host.
 */
import { isIP } from 'node:net';

/**
 * The canonical IP address, or `null` if the value is not one.
 * @example
 * normaliseIp(' 192.0.2.1 ') // '192.0.2.1'
 * normaliseIp('2001:0DB8:0000:0000:0000:0000:0000:0001') // '2001:db8::1'
 */
export function normaliseIp(raw: string): string | null {
  if (raw.length > 64) return null;
  const s = raw.trim();
  const version = isIP(s);
  if (version === 4) return s;
  if (version !== 6 || s.includes('%')) return null;
  // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 form.
  const host = new URL(`http://[${s}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped !== null) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return host;
}
