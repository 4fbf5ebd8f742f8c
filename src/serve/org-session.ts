/**
 * The operator's session on the organisation view of the web page: an API key (`vigie apikey
 * create`) typed once into a form is exchanged for a signed cookie naming the key by its SHA-256,
 * never the key itself. HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it, so no other site can make the operator's browser post to the view), Secure over https,
 * for the whole site (the view in either language). Stateless, so every process of `--processes N`
 * accepts it: the MAC key is derived from the pseudonymisation key, which they all hold; a
 * revoked API key ends its sessions at the next refresh of the key table.
 *
 * cookie = base64url(version ‖ expiry (u32, seconds) ‖ SHA-256 of the key) "." base64url(HMAC-SHA-256)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../store/index.js';
import type { ApiKeyRegistry } from './apikeys.js';

const COOKIE = 'vigie_org';
const VERSION = 1;
const BODY_BYTES = 1 + 4 + 32;
/** A working day: the operator logs in again the next morning. */
const ORG_SESSION_HOURS = 8;

/** The cookie's value from a Cookie header, if any. */
function cookieValue(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

export class OrgSessions {
  private readonly macKey: Buffer;

  constructor(
    pseudonymKey: Uint8Array,
    private readonly keys: ApiKeyRegistry,
    private readonly now: () => Date,
  ) {
    // A key of its own for this MAC, derived one way: a cookie reveals nothing of the pseudonym key.
    this.macKey = createHmac('sha256', pseudonymKey).update('vigie/v1\0org-session').digest();
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.macKey).update(body).digest();
  }

  /** The Set-Cookie value opening a session for a key found by `ApiKeyRegistry.find`. */
  open(key: ApiKey, secure: boolean): string {
    const body = Buffer.alloc(BODY_BYTES);
    body[0] = VERSION;
    body.writeUInt32BE(Math.floor(this.now().getTime() / 1000) + ORG_SESSION_HOURS * 3600, 1);
    Buffer.from(key.hash, 'hex').copy(body, 5);
    const value = `${body.toString('base64url')}.${this.mac(body).toString('base64url')}`;
    return `${COOKIE}=${value}; Path=/; Max-Age=${ORG_SESSION_HOURS * 3600}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  /** The Set-Cookie value that ends the session. */
  close(secure: boolean): string {
    return `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  /** The API key of the request's session: undefined when there is none, or it is forged, expired or its key revoked. */
  async current(cookieHeader: string | undefined): Promise<ApiKey | undefined> {
    const text = cookieValue(cookieHeader);
    if (text === undefined || text.length > 256) return undefined;
    const [b, s, extra] = text.split('.');
    if (b === undefined || s === undefined || extra !== undefined) return undefined;
    const body = Buffer.from(b, 'base64url');
    const sig = Buffer.from(s, 'base64url');
    const want = this.mac(body);
    if (sig.length !== want.length || !timingSafeEqual(sig, want)) return undefined;
    if (body.length !== BODY_BYTES || body[0] !== VERSION) return undefined;
    if (body.readUInt32BE(1) * 1000 <= this.now().getTime()) return undefined;
    return this.keys.byHash(body.subarray(5).toString('hex'));
  }
}
