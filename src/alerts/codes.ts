/**
 * The one-time codes of phone subscriptions. A code is not drawn at random and kept: it is
 * derived (HMAC-SHA-256 under the links' key) from the phone's pseudonym and the random id of
 * the outbox message that carries it, so the sender can write it and the store keeps only its
 * keyed hash. A re-send after a kill carries the same code; a new request, a new message id and
 * a new code. Six digits, valid a few minutes, a few tries (`Subscriptions`).
 */
import { createHmac } from 'node:crypto';
import type { AlertKeys } from './keys.js';

const DIGITS = 6;

/** The code the message `messageId` sends to the phone of `pseudonym`. */
export function phoneCode(keys: AlertKeys, pseudonym: Buffer, messageId: string): string {
  const mac = createHmac('sha256', keys.tokens).update('vigie/v1 sms code\u0000').update(pseudonym).update(messageId).digest();
  return String(mac.readUInt32BE(0) % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** What the store keeps of a code: a keyed hash, useless without Vigie's key (a plain hash of six digits is not). */
export function codeHash(keys: AlertKeys, pseudonym: Buffer, code: string): Buffer {
  return createHmac('sha256', keys.tokens).update('vigie/v1 sms code hash\u0000').update(pseudonym).update(code).digest();
}
