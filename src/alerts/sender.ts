/**
 * The sender: claims due messages from the outbox, writes each in its recipient's language,
 * sends it over one pooled SMTP transport and marks it sent. It runs inside `vigie serve` and
 * as `vigie alerts send`.
 *
 * Nothing is lost and nothing gets a second identity: a message is claimed under a lease, so
 * a sender killed mid-batch leaves its claims to be taken again when the lease ends; its
 * Message-ID was fixed when it was queued, so the one message in flight at a kill may arrive
 * twice, never under two identities. A failure is retried with exponential backoff, and after
 * `maxAttempts` the message is dead (`vigie alerts retry` revives it).
 */
import { type Breach, clipError, type OutboxMessage, type Store } from '../store/index.js';
import { alertMail, confirmationMail, type Mail } from './compose.js';
import { type AlertKeys, openAddress } from './keys.js';
import type { Links } from './links.js';

/** What the sender needs of a mail transport (nodemailer's, or a test's). */
export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<unknown>;
  close(): void;
}

interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  textEncoding: 'base64' | 'quoted-printable';
}

interface SenderSettings {
  /** Messages claimed at once. */
  batch: number;
  /** How long a claim holds before another sender may take the message (seconds). */
  leaseSeconds: number;
  /** Failures before a message is dead. */
  maxAttempts: number;
  /** The first retry's delay (seconds); each further one doubles it, up to a day. */
  backoffSeconds: number;
  /** Messages in flight at once (the SMTP pool's connections). */
  concurrency: number;
  /** How long a confirmation link is valid (hours), as its message says. */
  confirmHours: number;
}

interface SendReport {
  sent: number;
  failed: number;
  dead: number;
}

interface SenderDeps {
  store: Store;
  keys: AlertKeys;
  links: Links;
  from: string;
  transport: MailTransport;
  settings: SenderSettings;
  now?: () => Date;
  /** Told of each failure, with its reason (an SMTP reply or code: no value). */
  onError?: (reason: string) => void;
}

const DAY = 86_400;

export class OutboxSender {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SendReport> | undefined;
  private stopping = false;
  private readonly breaches = new Map<string, Breach | undefined>();

  constructor(private readonly deps: SenderDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Sends everything due now, batch after batch, and reports what happened. */
  runOnce(): Promise<SendReport> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<SendReport> {
    const report: SendReport = { sent: 0, failed: 0, dead: 0 };
    this.breaches.clear();
    const { store, settings } = this.deps;
    while (!this.stopping) {
      const batch = await store.claimOutbox({ limit: settings.batch, leaseSeconds: settings.leaseSeconds });
      if (batch.length === 0) break;
      let next = 0;
      const worker = async () => {
        for (let m = batch[next++]; m !== undefined; m = batch[next++]) {
          const outcome = await this.deliver(m);
          report[outcome]++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(settings.concurrency, batch.length) }, worker));
    }
    return report;
  }

  private async breach(name: string): Promise<Breach | undefined> {
    if (!this.breaches.has(name)) this.breaches.set(name, (await this.deps.store.getBreach(name))?.breach);
    return this.breaches.get(name);
  }

  /** Writes the message, or says why it can never be sent. */
  private async compose(m: OutboxMessage): Promise<{ mail: Mail; sealed: Buffer; lang: 'fr' | 'en' } | { never: string }> {
    const sub = m.subscription;
    if (!sub) return { never: 'the recipient unsubscribed' };
    const { links, settings } = this.deps;
    const unsubscribe = links.unsubscribe(m.recipient, sub.lang);
    if (m.kind === 'confirm') {
      if (!m.expiresAt || Date.parse(m.expiresAt) <= this.now().getTime()) return { never: 'the confirmation link expired before it could be sent' };
      return {
        mail: confirmationMail(sub.lang, { confirm: links.confirm(m.recipient, sub.lang, m.expiresAt), unsubscribe }, m.expiresAt, settings.confirmHours),
        sealed: sub.sealed,
        lang: sub.lang,
      };
    }
    const breach = m.breach === null ? undefined : await this.breach(m.breach);
    if (!breach || breach.IsRetired) return { never: 'the leak was removed or retired' };
    return { mail: alertMail(sub.lang, breach, m.mask, { home: links.home(sub.lang), unsubscribe }), sealed: sub.sealed, lang: sub.lang };
  }

  private async deliver(m: OutboxMessage): Promise<keyof SendReport> {
    const { store, settings, links } = this.deps;
    const composed = await this.compose(m);
    if ('never' in composed) {
      await store.markFailed(m.id, composed.never, null);
      return 'dead';
    }
    let to: string;
    try {
      to = openAddress(this.deps.keys, composed.sealed, m.recipient);
    } catch {
      await store.markFailed(m.id, 'the sealed address does not open under this key', null);
      return 'dead';
    }
    try {
      await this.deps.transport.sendMail({
        from: this.deps.from,
        to,
        ...composed.mail,
        messageId: `<${m.messageId}@${links.domain}>`,
        // Base64 without scanning the text first: quoted-printable detection and encoding of
        // accented French text was the sender's largest cost (bench:alerts).
        textEncoding: 'base64',
        headers: {
          'Content-Language': composed.lang,
          // RFC 8058: an https URI and the one-click POST body; RFC 3834: no auto-replies.
          'List-Unsubscribe': `<${links.oneClick(m.recipient)}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      });
    } catch (e) {
      const reason = smtpReason(e);
      this.deps.onError?.(reason);
      const attempts = m.attempts + 1;
      if (attempts >= settings.maxAttempts) {
        await store.markFailed(m.id, reason, null);
        return 'dead';
      }
      const delay = Math.min(DAY, settings.backoffSeconds * 2 ** (attempts - 1));
      await store.markFailed(m.id, reason, `${new Date(this.now().getTime() + delay * 1000).toISOString().slice(0, 19)}Z`);
      return 'failed';
    }
    await store.markSent(m.id);
    return 'sent';
  }

  /** Runs `runOnce` every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    const tick = () => {
      void this.runOnce()
        .catch((e: unknown) => this.deps.onError?.(smtpReason(e)))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops claiming, waits for the messages in flight, and closes the transport. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.deps.transport.close();
  }
}

/** An SMTP failure in a few words: the server's reply code and the error's code, never an address. */
function smtpReason(e: unknown): string {
  const err = e as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const parts = [typeof err.code === 'string' ? err.code : 'error'];
  if (typeof err.responseCode === 'number') parts.push(String(err.responseCode));
  if (typeof err.response === 'string') parts.push(err.response);
  else if (typeof err.message === 'string') parts.push(err.message);
  return clipError(parts.join(' '));
}
