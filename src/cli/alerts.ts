/**
 * `vigie alerts send|status|retry|purge`: the outbox for operators. `send` runs the same sender
 * as `vigie serve` (every message due, then exits with `--once`; otherwise every
 * VIGIE_ALERTS_INTERVAL seconds until SIGTERM or Ctrl-C).
 */
import type { Command } from 'commander';
import { senderFrom } from '../alerts/index.js';
import { parseBoundedInt } from '../config.js';
import { VigieError } from '../errors.js';
import type { CliContext } from './context.js';
import { withStoreOptions } from './store-commands.js';
import { withWorld, type StoreFlags } from './world.js';

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const on = () => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve();
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export function registerAlerts(program: Command, ctx: CliContext): void {
  const alerts = program.command('alerts').description('the alerts outbox: send, status, retry the dead, purge old messages');

  withStoreOptions(
    alerts
      .command('send')
      .description('send the queued alerts and confirmations over SMTP (VIGIE_SMTP_URL), then keep sending until stopped')
      .option('--once', 'send what is due now, then exit'),
  ).action(async (flags: StoreFlags & { once?: boolean }) => {
    await withWorld(ctx, flags, async ({ store, key, config }) => {
      const sender = senderFrom(config.alerts, store, key, { onError: (reason) => ctx.stderr.write(`vigie: a message failed (${reason})\n`) });
      if (flags.once) {
        try {
          const r = await sender.runOnce();
          ctx.stdout.write(`Sent ${r.sent}, failed ${r.failed} (to retry), dead ${r.dead}.\n`);
        } finally {
          await sender.stop();
        }
        return;
      }
      sender.start(config.alerts.intervalSeconds * 1000);
      ctx.stderr.write(`Sending every ${config.alerts.intervalSeconds} s until stopped (SIGTERM, Ctrl-C).\n`);
      await untilSignal();
      await sender.stop();
      ctx.stderr.write('Stopped.\n');
    });
  });

  withStoreOptions(alerts.command('status').description('count the messages: queued, sent, failed (to retry), dead').option('--json', 'print JSON')).action(
    async (flags: StoreFlags & { json?: boolean }) => {
      await withWorld(ctx, flags, async ({ store }) => {
        const c = await store.outboxCounts();
        if (flags.json) ctx.stdout.write(`${JSON.stringify(c)}\n`);
        else ctx.stdout.write(`queued ${c.queued}\nsent ${c.sent}\nfailed ${c.failed}\ndead ${c.dead}\n`);
      });
    },
  );

  withStoreOptions(alerts.command('retry').description('put the dead messages back in the queue, attempts reset')).action(async (flags: StoreFlags) => {
    await withWorld(ctx, flags, async ({ store }) => {
      ctx.stdout.write(`Queued again: ${await store.retryDead()}.\n`);
    });
  });

  withStoreOptions(
    alerts
      .command('purge')
      .description('delete sent and dead messages, and unconfirmed subscriptions, older than a number of days')
      .option('--older-than <days>', 'age in days (default 30)', '30'),
  ).action(async (flags: StoreFlags & { olderThan: string }) => {
    const days = parseBoundedInt(flags.olderThan, 0, 36_500);
    if (days === undefined) throw new VigieError('VIGIE_USAGE', '--older-than must be a number of days from 0 to 36500');
    await withWorld(ctx, flags, async ({ store }) => {
      const before = `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 19)}Z`;
      const r = await store.purgeOutbox(before);
      ctx.stdout.write(`Purged ${r.messages} message(s) and ${r.subscriptions} unconfirmed subscription(s) older than ${days} day(s).\n`);
    });
  });
}
