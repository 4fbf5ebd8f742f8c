/**
 * The links of the alerts, all under `VIGIE_PUBLIC_URL`, written out in full (no shortener, no
 * redirect): the confirmation page, the unsubscribe page, and the RFC 8058 one-click endpoint.
 * A link that opens a page never acts by itself: the page's button does (a POST), because mail
 * scanners fetch every link of a message.
 */
import type { Lang } from '../guidance/index.js';
import type { AlertKeys } from './keys.js';
import { signToken } from './tokens.js';

/** The page's routes for the links, by language (the page registers them from here). */
export const LINK_PATHS = {
  fr: { subscribe: '/alerte', confirm: '/confirmer', unsubscribe: '/desabonnement' },
  en: { subscribe: '/en/alert', confirm: '/en/confirm', unsubscribe: '/en/unsubscribe' },
} as const satisfies Record<Lang, { subscribe: string; confirm: string; unsubscribe: string }>;

/** The API route that RFC 8058 clients POST `List-Unsubscribe=One-Click` to. */
const ONE_CLICK_PATH = '/api/v1/subscriptions/unsubscribe';

export class Links {
  private readonly base: string;

  constructor(
    private readonly keys: AlertKeys,
    publicUrl: string,
  ) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  /** The host part of Message-IDs. */
  get domain(): string {
    return new URL(this.base).hostname;
  }

  home(lang: Lang): string {
    return `${this.base}${lang === 'fr' ? '/' : '/en'}`;
  }

  confirm(pseudonym: Buffer, lang: Lang, expiresAt: string): string {
    const token = signToken(this.keys, { kind: 'confirm', expires: Math.floor(Date.parse(expiresAt) / 1000), pseudonyms: [pseudonym] });
    return `${this.base}${LINK_PATHS[lang].confirm}?token=${token}`;
  }

  unsubscribeToken(pseudonym: Buffer): string {
    return signToken(this.keys, { kind: 'unsubscribe', expires: 0, pseudonyms: [pseudonym] });
  }

  unsubscribe(pseudonym: Buffer, lang: Lang): string {
    return `${this.base}${LINK_PATHS[lang].unsubscribe}?token=${this.unsubscribeToken(pseudonym)}`;
  }

  oneClick(pseudonym: Buffer): string {
    return `${this.base}${ONE_CLICK_PATH}?token=${this.unsubscribeToken(pseudonym)}`;
  }
}
