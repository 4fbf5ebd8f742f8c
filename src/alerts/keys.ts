/**
 * The keys of the alerts, derived from Vigie's one secret key (`src/pseudonymise/key.ts`) with
 * HKDF-SHA-256 (RFC 5869), one `info` label per use, so that no new secret needs keeping and a
 * key for one use reveals nothing of another or of the pseudonym key.
 *
 * Addresses are sealed with AES-256-GCM (NIST SP 800-38D): a random 96-bit nonce per seal, the
 * subscription's pseudonym as associated data, so a sealed address moved to another row does
 * not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { VigieError } from '../errors.js';

const NONCE = 12;
const TAG = 16;

export interface AlertKeys {
  /** AES-256-GCM key of the sealed addresses. */
  seal: Buffer;
  /** HMAC-SHA-256 key of the confirmation and unsubscribe links and the session cookie. */
  tokens: Buffer;
}

function derive(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from('vigie/alerts'), Buffer.from(info), 32));
}

/** @example const keys = deriveAlertKeys(await loadKey(source)); */
export function deriveAlertKeys(secret: Buffer): AlertKeys {
  return { seal: derive(secret, 'vigie/v1 address sealing'), tokens: derive(secret, 'vigie/v1 link and session signing') };
}

/** nonce ‖ ciphertext ‖ tag. */
export function sealAddress(keys: AlertKeys, address: string, pseudonym: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, nonce);
  cipher.setAAD(pseudonym);
  const body = Buffer.concat([cipher.update(address, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Opens a sealed address; `VIGIE_KEY` when it does not open (another key, another row, tampering). */
export function openAddress(keys: AlertKeys, sealed: Buffer, pseudonym: Buffer): string {
  try {
    if (sealed.length < NONCE + TAG + 1) throw new Error('too short');
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, sealed.subarray(0, NONCE));
    decipher.setAAD(pseudonym);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]).toString('utf8');
  } catch (e) {
    throw new VigieError('VIGIE_KEY', 'a sealed address does not open under this key', { cause: e });
  }
}
