/**
 * The sealed aliases of ADR 0008: for an address on a domain some organisation has verified,
 * the ingest keeps its local part (the "alias" of HIBP's domain search) sealed with AES-256-GCM
 * (NIST SP 800-38D) under a key derived from Vigie's secret by HKDF-SHA-256 (RFC 5869, its own
 * `info` label), a random 96-bit nonce per seal, and the domain and the address's pseudonym as
 * associated data, so a sealed alias moved to another domain or row does not open. Only the
 * server answering the verified owner's `breacheddomain` opens them.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { VigieError } from '../errors.js';

const NONCE = 12;
const TAG = 16;

/** Bytes a seal adds to the alias: the nonce and the tag. */
const SEAL_OVERHEAD = NONCE + TAG;

/** @example const key = deriveAliasKey(secret); */
export function deriveAliasKey(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from('vigie/domains'), Buffer.from('vigie/v1 alias sealing'), 32));
}

function aad(domain: string, pseudonym: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${domain}\0`, 'utf8'), pseudonym]);
}

/** nonce ‖ ciphertext ‖ tag. */
export function sealAlias(key: Buffer, domain: string, pseudonym: Uint8Array, alias: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(domain, pseudonym));
  const body = Buffer.concat([cipher.update(alias, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Opens a sealed alias; `VIGIE_KEY` when it does not open (another key, another row, tampering). */
export function openAlias(key: Buffer, domain: string, pseudonym: Uint8Array, sealed: Buffer): string {
  try {
    if (sealed.length < SEAL_OVERHEAD + 1) throw new Error('too short');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
    decipher.setAAD(aad(domain, pseudonym));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]).toString('utf8');
  } catch (e) {
    throw new VigieError('VIGIE_KEY', 'a sealed alias does not open under this key', { cause: e });
  }
}
