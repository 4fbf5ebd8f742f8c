import { createHash, pbkdf2Sync, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikePasswordHash } from './password.js';

// Synthetic password. The hashes below are of it, made by node:crypto here or by `openssl passwd`
// and Python's crypt(3) when the tests were written, except two published format examples (the
// argon2 reference vector and a phpass test vector), used for their layout only.
const PASSWORD = 'motdepasse';
const hex = (algorithm: string): string => createHash(algorithm).update(PASSWORD).digest('hex');

describe('looksLikePasswordHash', () => {
  it.each(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'])('recognises a hex %s digest, either case', (algorithm) => {
    expect(looksLikePasswordHash(hex(algorithm))).toBe(true);
    expect(looksLikePasswordHash(hex(algorithm).toUpperCase())).toBe(true);
  });

  it.each([
    ['bcrypt $2b$', '$2b$10$VigieVigieVigieVigieaOCSo2sfE4bHr.UYwmy2DSSN9vx.d7LXW'],
    ['bcrypt $2y$', '$2y$04$abcdefghijklmnopqrstuuPfUXx4s5P8Ytn8cm4M0hd0TSBu/QQ7e'],
    ['md5-crypt', '$1$Vigie8x$kZRMTJ2d/dh7zNX56d.aB0'],
    ['Apache apr1', '$apr1$Vigie8x$4/ockPFkN//3dzbV77tIU.'],
    ['sha256-crypt', '$5$Vigie8x$nJFgB5iJKxlEMABuQNBCW.eZOgv7t7q8vZjukrI7d79'],
    ['sha512-crypt', '$6$Vigie8x$VqB4LoCAJfGaWtlvevdCJ8VudbQE73F9zuKCWxiXFxsqkf36Um8sbqGGilXX1E3baNi0XEfBrt303S81w9uqp/'],
    ['sha512-crypt with rounds', '$6$rounds=5000$abc$K4v3HcZ8yAmpRfxML6S46NCcqy9r4/KdbQpFvqSWsBf4dgySOEOo1DHJTrmn2BsJK2aNmPN8Tfb826D2o9.z51'],
    ['argon2id (PHC reference format)', '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG'],
    ['phpass', '$P$984478476IagS59wHZvyQMArzfx58u.'],
    ['MySQL 4.1', '*' + createHash('sha1').update(createHash('sha1').update(PASSWORD).digest()).digest('hex').toUpperCase()],
    ['Django bcrypt_sha256', 'bcrypt_sha256$$2b$10$VigieVigieVigieVigieaOCSo2sfE4bHr.UYwmy2DSSN9vx.d7LXW'],
    ['with surrounding spaces', '  ' + hex('md5') + ' '],
  ])('recognises %s', (_name, hash) => {
    expect(looksLikePasswordHash(hash)).toBe(true);
  });

  it('recognises Django PBKDF2 and PHC scrypt strings built with node:crypto', () => {
    const salt = 'c2VsVmlnaWU';
    const django = `pbkdf2_sha256$600000$${salt}$${pbkdf2Sync(PASSWORD, salt, 1000, 32, 'sha256').toString('base64')}`;
    const scrypt = `$scrypt$ln=14,r=8,p=1$${salt}$${scryptSync(PASSWORD, salt, 32).toString('base64').replace(/=+$/, '')}`;
    expect(looksLikePasswordHash(django)).toBe(true);
    expect(looksLikePasswordHash(scrypt)).toBe(true);
  });

  it('recognises LDAP {SSHA} and {CRYPT} values', () => {
    const salt = Buffer.from('sel4');
    const ssha = createHash('sha1').update(PASSWORD).update(salt).digest();
    expect(looksLikePasswordHash('{SSHA}' + Buffer.concat([ssha, salt]).toString('base64'))).toBe(true);
    expect(looksLikePasswordHash('{CRYPT}$1$Vigie8x$kZRMTJ2d/dh7zNX56d.aB0')).toBe(true);
  });

  it.each([
    ['', 'empty'],
    [PASSWORD, 'a plain password'],
    ['Motdepasse2024!', 'a plain password with symbols'],
    ['jean.dupont@orange.fr', 'an email'],
    ['12345678901234567890123456789012', '32 decimal digits: an identifier'],
    [hex('md5').slice(0, 31), '31 hex characters'],
    [hex('md5') + 'a', '33 hex characters'],
    [hex('md5').slice(0, 16) + hex('md5').slice(16).toUpperCase(), 'mixed-case hex'],
    [hex('md5').slice(0, 31) + 'g', 'non-hex letter'],
    ['$2b$10$VigieVigieVigieVigieaOCSo2sfE4bHr.UYwmy2DSSN9vx.d7LX', 'bcrypt one character short'],
    ['$2b$99$VigieVigieVigieVigieaOCSo2sfE4bHr.UYwmy2DSSN9vx.d7LXW', 'bcrypt cost 99'],
    ['$2q$10$VigieVigieVigieVigieaOCSo2sfE4bHr.UYwmy2DSSN9vx.d7LXW', 'unknown bcrypt variant'],
    ['$1$Vigie8x$kZRMTJ2d/dh7 zNX56d.aB0', 'space inside md5-crypt'],
    ['$6$$VqB4LoCAJfGaWtlvevdCJ8VudbQE73F9zuKC', 'empty salt field'],
    ['$9$Vigie8x$kZRMTJ2d/dh7zNX56d.aB0', 'unknown crypt identifier'],
    ['$P$984478476IagS59wHZvyQMArzfx58u', 'phpass one character short'],
    ['$7$abcdefghijkl', 'scrypt without its hash field'],
    ['{SSHA}court', 'LDAP value too short'],
    ['{SSHA}' + 'é'.repeat(30), 'LDAP value not base64'],
    ['*' + hex('sha1').slice(0, 39), 'MySQL hash one character short'],
    ['a'.repeat(600), 'far too long'],
  ])('rejects %j (%s)', (raw) => {
    expect(looksLikePasswordHash(raw)).toBe(false);
  });
});
