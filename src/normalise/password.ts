/**
 * Recognition of password hashes, so a column of them counts as "Passwords" exposed. Passwords
 * and hashes are never validated, stored, or printed: only this yes/no leaves the function.
 *
 * Formats (each with its documented length and alphabet, so random strings rarely pass):
 * - hex digests: MD5 / NTLM (32), SHA-1 (40), SHA-224 (56), SHA-256 (64), SHA-384 (96),
 *   SHA-512 (128), in one case throughout; MySQL 4.1+ `*` + 40 hex;
 * - modular crypt format: bcrypt `$2a$`/`$2b$`/`$2x$`/`$2y$` + cost + 53 characters;
 *   md5-crypt `$1$`, Apache `$apr1$`, sha256-crypt `$5$`, sha512-crypt `$6$` (optional
 *   `rounds=`); yescrypt `$y$`, scrypt `$7$`; phpass `$P$`/`$H$` (34 characters); Drupal 7 `$S$`
 *   (55 characters); PHC strings `$argon2i$`, `$argon2d$`, `$argon2id$`, `$scrypt$`,
 *   `$pbkdf2-sha256$`, …;
 * - Django: `pbkdf2_sha256$iterations$salt$hash`, `pbkdf2_sha1$…`, `argon2$…`, `bcrypt_sha256$…`;
 * - LDAP: `{SSHA}`, `{SHA}`, `{SMD5}`, `{MD5}`, `{SSHA256}`, `{SSHA512}`, `{CRYPT}` + base64/crypt.
 */

const MAX_LENGTH = 512;

/** Characters of the crypt(3) base64 alphabet: `./0-9A-Za-z`. */
function isCryptChar(c: number): boolean {
  return c === 0x2e || c === 0x2f || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Characters of standard base64 (with padding), and of the PHC strings' fields. */
function isBase64Char(c: number): boolean {
  return c === 0x2b || c === 0x2f || c === 0x3d || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function all(s: string, from: number, to: number, test: (c: number) => boolean): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!test(s.charCodeAt(i))) return false;
  return true;
}

/**
 * A hex digest of a known length, in one case throughout, with at least one letter: a digest
 * without any of a–f has odds below 10^-6 (MD5: (10/16)^32), a long decimal identifier is likelier.
 */
function isHexDigest(s: string, from: number): boolean {
  const len = s.length - from;
  if (len !== 32 && len !== 40 && len !== 56 && len !== 64 && len !== 96 && len !== 128) return false;
  let lower = false;
  let upper = false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x66) lower = true;
    else if (c >= 0x41 && c <= 0x46) upper = true;
    else if (c < 0x30 || c > 0x39) return false;
  }
  return lower !== upper;
}

/** bcrypt: `$2a$10$` then 22 salt + 31 hash characters. */
function isBcrypt(s: string): boolean {
  if (s.length !== 60 || s.charCodeAt(3) !== 0x24 || s.charCodeAt(6) !== 0x24) return false;
  const variant = s.charCodeAt(2);
  if (variant !== 0x61 && variant !== 0x62 && variant !== 0x78 && variant !== 0x79) return false;
  const cost = (s.charCodeAt(4) - 0x30) * 10 + (s.charCodeAt(5) - 0x30);
  return cost >= 4 && cost <= 31 && all(s, 7, 60, isCryptChar);
}

/** `$id$[rounds=N$]salt$hash` of the SHA-crypt / md5-crypt family, `$` fields in crypt alphabet. */
function isCryptFields(s: string, from: number, minFields: number): boolean {
  let fields = 1;
  let fieldStart = from;
  for (let i = from; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x24;
    if (c === 0x24) {
      if (i === fieldStart) return false;
      if (i < s.length) fields++;
      fieldStart = i + 1;
    } else if (!isCryptChar(c) && c !== 0x3d && c !== 0x2c && c !== 0x2b && c !== 0x2d) {
      return false; // `=`, `,`, `+`, `-` occur in parameter fields (`rounds=5000`, `m=65536,t=3`)
    }
  }
  return fields >= minFields;
}

const PREFIXES: ReadonlyArray<readonly [string, number]> = [
  // [prefix, minimum number of `$`-separated fields after it]
  ['$1$', 2],
  ['$apr1$', 2],
  ['$5$', 2],
  ['$6$', 2],
  ['$y$', 3],
  ['$7$', 2],
  ['$argon2i$', 3],
  ['$argon2d$', 3],
  ['$argon2id$', 3],
  ['$scrypt$', 3],
  ['$pbkdf2$', 3],
  ['$pbkdf2-sha1$', 3],
  ['$pbkdf2-sha256$', 3],
  ['$pbkdf2-sha512$', 3],
  ['$sha1$', 3],
  ['pbkdf2_sha256$', 3],
  ['pbkdf2_sha1$', 3],
  ['argon2$', 4],
  ['scrypt$', 3],
];

const LDAP = ['{SSHA}', '{SHA}', '{SMD5}', '{MD5}', '{SSHA256}', '{SSHA512}', '{SHA256}', '{SHA512}'];

/**
 * Whether a value looks like a password hash (and not a password, a token or free text).
 * @example
 * looksLikePasswordHash('$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW') // true
 * looksLikePasswordHash('5f4dcc3b5aa765d61d8327deb882cf99') // true (MD5)
 * looksLikePasswordHash('motdepasse123') // false
 */
export function looksLikePasswordHash(raw: string): boolean {
  const s = raw.length > 0 && (raw.charCodeAt(0) <= 0x20 || raw.charCodeAt(raw.length - 1) <= 0x20) ? raw.trim() : raw;
  if (s.length < 13 || s.length > MAX_LENGTH) return false;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x24) {
    if (s.charCodeAt(1) === 0x32) return isBcrypt(s);
    const phpass = s.charCodeAt(1);
    if ((phpass === 0x50 || phpass === 0x48) && s.charCodeAt(2) === 0x24) return s.length === 34 && all(s, 3, 34, isCryptChar);
    if (phpass === 0x53 && s.charCodeAt(2) === 0x24) return s.length === 55 && all(s, 3, 55, isCryptChar);
  }
  if (s.startsWith('bcrypt_sha256$')) return isBcrypt(s.slice(14)); // Django wraps a bcrypt string
  if (c0 === 0x24 || c0 === 0x70 || c0 === 0x62 || c0 === 0x61 || c0 === 0x73) {
    for (const [prefix, fields] of PREFIXES) {
      if (s.startsWith(prefix)) return s.length >= prefix.length + 8 && isCryptFields(s, prefix.length, fields);
    }
    if (c0 === 0x24) return false;
  }
  if (c0 === 0x7b) {
    if (s.startsWith('{CRYPT}')) return looksLikePasswordHash(s.slice(7));
    for (const prefix of LDAP) {
      if (s.startsWith(prefix)) return s.length >= prefix.length + 20 && all(s, prefix.length, s.length, isBase64Char);
    }
    return false;
  }
  if (c0 === 0x2a) return s.length === 41 && isHexDigest(s, 1); // MySQL 4.1+ PASSWORD()
  return isHexDigest(s, 0);
}
