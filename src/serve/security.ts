/**
 * The headers of every response. A lookup's answer is personal: nothing may cache it, send it
 * on as a referrer, or run a script from elsewhere next to it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** No inline script, no third-party origin: the page loads only its own files. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FIXED: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

/** Static files of the page (no personal data) may be cached; everything else is `no-store`. */
export function securityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(FIXED);
  if (!reply.hasHeader('cache-control')) {
    reply.header('cache-control', request.routeOptions.url?.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store');
  }
}
