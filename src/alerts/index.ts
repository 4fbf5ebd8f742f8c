/**
 * Alerts: subscriptions by email with double opt-in and by phone with a one-time code, the
 * verified owner's session, and the sender that empties the outbox the publishing commit fills
 * (mail over SMTP, SMS through a webhook). The only door to this folder.
 */
export { Subscriptions } from './subscriptions.js';
export { OutboxSender, type MailTransport } from './sender.js';
export { LINK_PATHS } from './links.js';
export { alertsConfigured, organisationsFrom, senderFrom, subscriptionsFrom } from './wire.js';
export { DOMAIN_CONFIRM_PATH, Organisations } from './organisations.js';
export { verifyWebhook } from './webhook.js';
