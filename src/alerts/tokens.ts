/**
 * Signed tokens: the confirmation link (expires), the unsubscribe link (does not: RFC 8058 links
 * are followed from old messages) and the verified owner's session (expires, lists the
 * pseudonyms of the addresses proven). `base64url(body).base64url(HMAC-SHA-256(body))`; the body
 * holds pseudonyms and dates, never an address.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PSEUDONYM_BYTES } from '../pseudonymise/index.js';
import type { AlertKeys } from './keys.js';

type TokenKind = 'confirm' | 'unsubscribe' | 'session' | 'domain';
const KIND_BYTE: Record<TokenKind, number> = { confirm: 0x63, unsubscribe: 0x75, session: 0x73, domain: 0x64 };
const VERSION = 1;
const HEADER = 6;

interface Token {
  kind: TokenKind;
  /** Seconds since the epoch; 0 for a token that does not expire. */
  expires: number;
  pseudonyms: Buffer[];
}

function mac(keys: AlertKeys, body: Buffer): Buffer {
  return createHmac('sha256', keys.tokens).update(body).digest();
}

export function signToken(keys: AlertKeys, token: Token): string {
  const body = Buffer.alloc(HEADER + token.pseudonyms.length * PSEUDONYM_BYTES);
  body[0] = VERSION;
  body[1] = KIND_BYTE[token.kind];
  body.writeUInt32BE(token.expires, 2);
  token.pseudonyms.forEach((p, i) => {
    p.copy(body, HEADER + i * PSEUDONYM_BYTES);
  });
  return `${body.toString('base64url')}.${mac(keys, body).toString('base64url')}`;
}

/**
 * The token if it is well formed, of this kind, signed by this key and not expired at `nowMs`;
 * otherwise undefined (the caller gives one answer for every reason).
 */
export function verifyToken(keys: AlertKeys, text: string, kind: TokenKind, nowMs: number): Token | undefined {
  if (text.length > 2048) return undefined;
  const [b, s, extra] = text.split('.');
  if (b === undefined || s === undefined || extra !== undefined) return undefined;
  const body = Buffer.from(b, 'base64url');
  const sig = Buffer.from(s, 'base64url');
  const want = mac(keys, body);
  if (sig.length !== want.length || !timingSafeEqual(sig, want)) return undefined;
  if (body.length < HEADER || (body.length - HEADER) % PSEUDONYM_BYTES !== 0 || body[0] !== VERSION || body[1] !== KIND_BYTE[kind]) return undefined;
  const expires = body.readUInt32BE(2);
  if (expires !== 0 && expires * 1000 <= nowMs) return undefined;
  const pseudonyms: Buffer[] = [];
  for (let o = HEADER; o < body.length; o += PSEUDONYM_BYTES) pseudonyms.push(Buffer.from(body.subarray(o, o + PSEUDONYM_BYTES)));
  return { kind, expires, pseudonyms };
}
