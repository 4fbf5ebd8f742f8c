/**
 * `vigie domain add|verify|list|remove|contact`: organisations' domains from the command line,
 * the same service as `/api/v1/domains` (an organisation is its API key, `--key NAME`).
 */
import type { Command } from 'commander';
import { organisationsFrom } from '../alerts/index.js';
import { VigieError } from '../errors.js';
import { normaliseDomain, type Domain } from '../store/index.js';
import type { CliContext } from './context.js';
import { withStoreOptions } from './store-commands.js';
import { type StoreFlags, withWorld } from './world.js';

type KeyFlags = StoreFlags & { key: string };

const line = (d: Domain) => `${d.domain}\t${d.keyName}\t${d.state}${d.method ? ` (${d.method})` : ''}\tvigie-verification=${d.token}\n`;

export function registerDomains(program: Command, ctx: CliContext): void {
  const domain = program.command('domain').description("organisations' domains: register, prove control (DNS TXT or mail), list, remove, where alerts go");

  withStoreOptions(
    domain
      .command('add')
      .description('register a domain for an API key; prints the TXT record to publish')
      .argument('<domain>')
      .requiredOption('--key <name>', 'the API key (organisation)'),
  ).action(async (name: string, flags: KeyFlags) => {
    await withWorld(ctx, flags, async ({ store, key, config }) => {
      const d = await organisationsFrom(config.alerts, store, key).addDomain(flags.key, name);
      ctx.stdout.write(`vigie-verification=${d.token}\n`);
      ctx.stderr.write(`Publish this TXT record at ${d.domain} or _vigie.${d.domain}, then run vigie domain verify ${d.domain} --key ${flags.key}.\n`);
    });
  });

  withStoreOptions(
    domain
      .command('verify')
      .description('prove control: look the TXT record up now (default), or mail a link to security@ or postmaster@ the domain')
      .argument('<domain>')
      .requiredOption('--key <name>', 'the API key (organisation)')
      .option('--mail <mailbox>', 'mail the link to security or postmaster instead'),
  ).action(async (name: string, flags: KeyFlags & { mail?: string }) => {
    if (flags.mail !== undefined && flags.mail !== 'security' && flags.mail !== 'postmaster')
      throw new VigieError('VIGIE_USAGE', '--mail must be security or postmaster');
    await withWorld(ctx, flags, async ({ store, key, config }) => {
      const orgs = organisationsFrom(config.alerts, store, key);
      if (flags.mail) {
        const d = await orgs.verifyByMail(flags.key, name, flags.mail as 'security' | 'postmaster');
        ctx.stdout.write(
          d.state === 'verified'
            ? `${d.domain} is verified.\n`
            : `A link is queued for ${flags.mail}@${d.domain} (sent by vigie serve or vigie alerts send).\n`,
        );
        return;
      }
      const d = await orgs.verifyByDns(flags.key, name);
      ctx.stdout.write(`${d.domain} is verified.\n`);
    });
  });

  withStoreOptions(
    domain.command('list').description('the domains, of one key or of all').option('--key <name>', 'one API key').option('--json', 'print JSON'),
  ).action(async (flags: StoreFlags & { key?: string; json?: boolean }) => {
    await withWorld(ctx, flags, async ({ store }) => {
      const list = await store.listDomains(flags.key);
      if (flags.json) ctx.stdout.write(`${JSON.stringify(list)}\n`);
      else if (list.length === 0) ctx.stdout.write('No domain yet: register one with vigie domain add.\n');
      else for (const d of list) ctx.stdout.write(line(d));
    });
  });

  withStoreOptions(
    domain.command('remove').description('remove a domain from a key').argument('<domain>').requiredOption('--key <name>', 'the API key (organisation)'),
  ).action(async (name: string, flags: KeyFlags) => {
    await withWorld(ctx, flags, async ({ store }) => {
      const d = normaliseDomain(name);
      await store.removeDomain(flags.key, d);
      ctx.stdout.write(`Removed ${d}.\n`);
    });
  });

  withStoreOptions(
    domain
      .command('contact')
      .description("where the organisation's alerts go: a contact address, a signed webhook (its secret is printed once)")
      .requiredOption('--key <name>', 'the API key (organisation)')
      .option('--email <address>', 'the contact address')
      .option('--webhook <url>', 'the webhook URL (http or https)'),
  ).action(async (flags: KeyFlags & { email?: string; webhook?: string }) => {
    if (flags.email === undefined && flags.webhook === undefined) throw new VigieError('VIGIE_USAGE', 'give --email, --webhook or both');
    await withWorld(ctx, flags, async ({ store, key, config }) => {
      const r = await organisationsFrom(config.alerts, store, key).setContact(flags.key, {
        ...(flags.email !== undefined ? { email: flags.email } : {}),
        ...(flags.webhook !== undefined ? { webhookUrl: flags.webhook } : {}),
      });
      if (r.webhookSecret) {
        ctx.stdout.write(`${r.webhookSecret}\n`);
        ctx.stderr.write('The webhook signing secret is shown only now: check Vigie-Signature with it.\n');
      } else ctx.stdout.write('Contact set.\n');
    });
  });
}
