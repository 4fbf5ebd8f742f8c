/**
 * Signed webhooks for organisations. Each delivery is a JSON POST carrying
 * `Vigie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256(secret, "<t>.<body>")>` (the scheme
 * Stripe and others use): the receiver recomputes the HMAC over the timestamp and the exact
 * body bytes, compares in constant time, and refuses a timestamp outside its tolerance, so a
 * captured delivery replayed later is refused. `Vigie-Delivery` is the outbox message's fixed
 * identity: a delivery re-sent after a crash carries the same one, for the receiver to dedupe.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'vigie-signature';
export const DELIVERY_HEADER = 'vigie-delivery';

/** The header value for a body sent at `unixSeconds`. */
export function signWebhook(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Whether a delivery is genuine and fresh: its signature matches the body under the secret and
 * its timestamp is within `toleranceSeconds` of `nowSeconds` (5 minutes by default).
 * @example if (!verifyWebhook(secret, req.headers['vigie-signature'], rawBody, Date.now() / 1000)) reply(400);
 */
export function verifyWebhook(secret: string, header: string | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (header === undefined) return false;
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const want = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest();
  return timingSafeEqual(want, Buffer.from(v1, 'hex'));
}
