/**
 * The verified owner's session: a signed cookie (`src/alerts/tokens.ts`) listing the pseudonyms
 * of the addresses the person confirmed. HttpOnly (no script reads it), SameSite=Strict (no
 * other site's form sends it), Secure when the public URL is https, and scoped to the site.
 */
import type { FastifyRequest } from 'fastify';
import type { Subscriptions } from '../alerts/index.js';

const OWNER_COOKIE = 'vigie_owner';

/** The session cookie from a Cookie header, if any. */
function ownerSession(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === OWNER_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** The Set-Cookie value that adds this address to the caller's session. */
export function ownerCookie(subs: Subscriptions, header: string | undefined, pseudonym: Buffer): string {
  const value = subs.session(ownerSession(header), pseudonym);
  const secure = subs.settings.publicUrl.startsWith('https://') ? '; Secure' : '';
  return `${OWNER_COOKIE}=${value}; Path=/; Max-Age=${subs.settings.sessionHours * 3600}; HttpOnly; SameSite=Strict${secure}`;
}

/** Whether the request's session proves ownership of this email address or phone. */
export async function isVerifiedOwner(subs: Subscriptions | undefined, request: FastifyRequest, account: string): Promise<boolean> {
  if (!subs) return false;
  return subs.isVerifiedOwner(ownerSession(request.headers.cookie), account);
}
