/**
 * From the configuration to working parts: the subscriptions service (for `vigie serve`) and the
 * sender (for `vigie serve` and `vigie alerts send`), each only when alerts are configured.
 */
import type { AlertsConfig } from '../config.js';
import { VigieError } from '../errors.js';
import type { Store } from '../store/index.js';
import { smtpTransport } from './mail.js';
import { type MailTransport, OutboxSender } from './sender.js';
import { type SmsTransport, webhookSmsTransport } from './sms.js';
import { Subscriptions } from './subscriptions.js';
import { Organisations } from './organisations.js';

/** A phone's one-time code is valid this long (and its message says so). */
const CODE_MINUTES = 10;

/** The service behind the subscription routes, or undefined when `VIGIE_PUBLIC_URL` is unset. */
export function subscriptionsFrom(config: AlertsConfig, store: Store, key: Buffer, now?: () => Date): Subscriptions | undefined {
  if (config.publicUrl === undefined) return undefined;
  return new Subscriptions(
    store,
    key,
    {
      publicUrl: config.publicUrl,
      confirmHours: config.confirmHours,
      sessionHours: config.sessionHours,
      maxVerified: config.maxVerified,
      throttleMinutes: 10,
      phones: config.smsWebhookUrl !== undefined,
      codeMinutes: CODE_MINUTES,
      codeAttempts: 5,
    },
    now,
  );
}

/** Organisations and their domains (DNS checks always; mail checks with `VIGIE_PUBLIC_URL`). */
export function organisationsFrom(config: AlertsConfig, store: Store, key: Buffer, now?: () => Date): Organisations {
  return new Organisations(store, key, { publicUrl: config.publicUrl, confirmHours: config.confirmHours, dnsServers: config.dnsServers }, now);
}

/** Whether the three variables the sender needs are set. */
export function alertsConfigured(config: AlertsConfig): boolean {
  return config.publicUrl !== undefined && config.smtpUrl !== undefined && config.mailFrom !== undefined;
}

/**
 * The sender over a pooled SMTP transport (or the one given, for tests and benchmarks).
 * `VIGIE_ALERTS_OFF` when a variable is missing.
 */
export function senderFrom(
  config: AlertsConfig,
  store: Store,
  key: Buffer,
  options: { transport?: MailTransport; sms?: SmsTransport; onError?: (reason: string) => void; now?: () => Date } = {},
): OutboxSender {
  const subs = subscriptionsFrom(config, store, key, options.now);
  if (!subs || config.smtpUrl === undefined || config.mailFrom === undefined) {
    throw new VigieError('VIGIE_ALERTS_OFF', 'set VIGIE_PUBLIC_URL, VIGIE_SMTP_URL and VIGIE_MAIL_FROM to send alerts');
  }
  return new OutboxSender({
    store,
    keys: subs.keys,
    links: subs.links,
    organisations: organisationsFrom(config, store, key, options.now),
    from: config.mailFrom,
    transport: options.transport ?? smtpTransport(config.smtpUrl, config.connections),
    ...(options.sms || config.smsWebhookUrl ? { sms: options.sms ?? webhookSmsTransport(config.smsWebhookUrl ?? '', config.smsWebhookToken) } : {}),
    settings: {
      batch: config.batch,
      leaseSeconds: config.leaseSeconds,
      maxAttempts: config.maxAttempts,
      backoffSeconds: config.backoffSeconds,
      concurrency: config.connections,
      confirmHours: config.confirmHours,
      codeMinutes: CODE_MINUTES,
    },
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
