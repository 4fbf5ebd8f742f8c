/** The configuration of `vigie serve` and `vigie apikey`, read from the environment once. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { VigieError } from './errors.js';
import { loadConfig } from './config.js';

describe('serve configuration', () => {
  it('has the defaults the README states', () => {
    expect(loadConfig({ VIGIE_DATA: '/tmp/v' }).serve).toEqual({
      host: '127.0.0.1',
      port: 8080,
      ipRpm: 30,
      defaultKeyRpm: 100,
      trustProxy: false,
      processes: Math.min(availableParallelism(), 4),
    });
  });

  it('reads VIGIE_HOST, VIGIE_PORT, VIGIE_IP_RPM, VIGIE_KEY_RPM, VIGIE_TRUST_PROXY and VIGIE_SERVE_PROCESSES', () => {
    const env = {
      VIGIE_DATA: '/tmp/v',
      VIGIE_HOST: '0.0.0.0',
      VIGIE_PORT: '9090',
      VIGIE_IP_RPM: '12',
      VIGIE_KEY_RPM: '500',
      VIGIE_TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      VIGIE_SERVE_PROCESSES: '3',
    };
    expect(loadConfig(env).serve).toEqual({ host: '0.0.0.0', port: 9090, ipRpm: 12, defaultKeyRpm: 500, trustProxy: '10.0.0.0/8,127.0.0.1', processes: 3 });
    expect(loadConfig({ VIGIE_DATA: '/tmp/v', VIGIE_TRUST_PROXY: 'true' }).serve.trustProxy).toBe(true);
  });

  it('refuses a value that is not a bounded integer, naming the variable', () => {
    for (const [name, value] of [
      ['VIGIE_PORT', '70000'],
      ['VIGIE_IP_RPM', '0'],
      ['VIGIE_KEY_RPM', 'beaucoup'],
      ['VIGIE_PORT', ' 80 x'],
      ['VIGIE_SERVE_PROCESSES', '0'],
      ['VIGIE_SERVE_PROCESSES', '65'],
    ]) {
      let error: unknown;
      try {
        loadConfig({ VIGIE_DATA: '/tmp/v', [name as string]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VigieError);
      expect((error as VigieError).code).toBe('VIGIE_CONFIG');
      expect((error as VigieError).message).toContain(name);
    }
  });
});

describe('alerts configuration', () => {
  it('reads the SMS webhook and its token, and refuses a URL or token that cannot be right without repeating it', () => {
    const alerts = loadConfig({
      VIGIE_DATA: '/tmp/v',
      VIGIE_SMS_WEBHOOK_URL: ' https://sms.example.fr/send?compte=7 ',
      VIGIE_SMS_WEBHOOK_TOKEN: 'abc.DEF-123',
    }).alerts;
    expect([alerts.smsWebhookUrl, alerts.smsWebhookToken]).toEqual(['https://sms.example.fr/send?compte=7', 'abc.DEF-123']);
    expect(loadConfig({ VIGIE_DATA: '/tmp/v' }).alerts.smsWebhookUrl).toBeUndefined();
    for (const [name, value] of [
      ['VIGIE_SMS_WEBHOOK_URL', 'ftp://sms.example.fr/secret-key'],
      ['VIGIE_SMS_WEBHOOK_URL', 'sms.example.fr/secret-key'],
      ['VIGIE_SMS_WEBHOOK_TOKEN', 'secret key'],
    ] as const) {
      expect(() => loadConfig({ VIGIE_DATA: '/tmp/v', [name]: value })).toThrow(
        expect.objectContaining({ code: 'VIGIE_CONFIG', message: expect.stringContaining(name) }),
      );
      expect(() => loadConfig({ VIGIE_DATA: '/tmp/v', [name]: value })).toThrow(expect.not.objectContaining({ message: expect.stringContaining('secret') }));
    }
  });
});

describe('the ingest memory budget', () => {
  it('VIGIE_MEMORY: 1 GiB by default, binary units, refused out of range or malformed', () => {
    expect(loadConfig({ VIGIE_DATA: '/tmp/v' }).memory).toBe(1024 ** 3);
    expect(loadConfig({ VIGIE_DATA: '/tmp/v', VIGIE_MEMORY: '512M' }).memory).toBe(512 * 1024 ** 2);
    expect(loadConfig({ VIGIE_DATA: '/tmp/v', VIGIE_MEMORY: '1.5GiB' }).memory).toBe(1.5 * 1024 ** 3);
    expect(loadConfig({ VIGIE_DATA: '/tmp/v', VIGIE_MEMORY: '2097152' }).memory).toBe(2 * 1024 ** 2);
    for (const bad of ['lots', '512X', '100K', '2T', '-1G']) {
      expect(() => loadConfig({ VIGIE_DATA: '/tmp/v', VIGIE_MEMORY: bad }), bad).toThrow(/VIGIE_MEMORY/);
    }
  });
});
