/**
 * The SMS transport, pluggable: what the sender needs of one is `send` and `close`. The first is
 * an HTTP webhook (`VIGIE_SMS_WEBHOOK_URL`, bearer `VIGIE_SMS_WEBHOOK_TOKEN`): Vigie POSTs
 * `{"to": "+33612345678", "text": "...", "id": "<message id>"}` as JSON, with the message's id
 * also in `Idempotency-Key`, so that the gateway can drop the copy a re-send after a kill makes.
 *
 * A 2xx answer is sent; 408, 429, a 5xx, a timeout or a lost connection may pass (retried with
 * backoff); any other 4xx is the gateway refusing the message for good (dead at once).
 */

/** One text message: the E.164 number, the words, and the outbox message's id. */
interface Sms {
  to: string;
  text: string;
  id: string;
}

export interface SmsTransport {
  send(sms: Sms): Promise<void>;
  close(): void;
}

/** A failed send: a few words (an HTTP status or an error code, never the number or the text) and whether a retry may cure it. */
export class SmsFailure extends Error {
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
  }
}

const TIMEOUT_MS = 10_000;

/** @example const sms = webhookSmsTransport('https://sms.example.fr/send', 'secret'); */
export function webhookSmsTransport(url: string, token: string | undefined): SmsTransport {
  return {
    async send(sms) {
      let status: number;
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': sms.id,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(sms),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'error',
        });
        status = r.status;
        // The body may echo the number: it is read and dropped, never kept.
        await r.arrayBuffer().catch(() => undefined);
      } catch (e) {
        const code = (e as { cause?: { code?: unknown }; name?: unknown }).cause?.code ?? (e as { name?: unknown }).name;
        throw new SmsFailure(`SMS webhook: ${typeof code === 'string' ? code : 'network error'}`, false);
      }
      if (status >= 200 && status < 300) return;
      const passing = status === 408 || status === 429 || status >= 500;
      throw new SmsFailure(`SMS webhook: HTTP ${status}`, !passing);
    },
    close() {},
  };
}
