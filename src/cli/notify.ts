/**
 * `vigie org`, `vigie incident`, `vigie report` and `vigie notices`: what the organisation
 * responsible states and sends after a leak. Parsing and wiring only; the rules are in `notify/`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Command } from 'commander';
import { VigieError } from '../errors.js';
import { LANGS, type Lang } from '../guidance/index.js';
import {
  draftFromStore,
  buildNotices,
  DEFAULT_TEMPLATES,
  parseMatches,
  parseTemplate,
  checkIncident,
  checkOrgProfile,
  mergeStatement,
  REPORT_FORMATS,
  renderDraft,
  type Incident,
  type OrgProfile,
  type ReportFormat,
} from '../notify/index.js';
import type { Statement, Store } from '../store/index.js';
import type { CliContext } from './context.js';
import { withStoreOptions } from './store-commands.js';
import { withWorld, type StoreFlags } from './world.js';

/** A repeatable option: each use adds one; an empty value clears the list. */
const collect = (v: string, prev: unknown): string[] | string => (v === '' ? '' : [...(Array.isArray(prev) ? (prev as string[]) : []), v]);

function parseLang(v: string | undefined): Lang {
  if (v === undefined) return 'fr';
  if (!(LANGS as readonly string[]).includes(v)) throw new VigieError('VIGIE_USAGE', `--lang takes ${LANGS.join(' or ')}`);
  return v as Lang;
}

interface OrgFlags extends StoreFlags {
  name?: string;
  siren?: string;
  sector?: string;
  headcount?: string;
  address?: string;
  representative?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  dpoName?: string;
  dpoEmail?: string;
  processor?: string[] | string;
  jointController?: string[] | string;
  json?: boolean;
}

interface IncidentFlags extends StoreFlags {
  type?: string;
  initialReference?: string;
  started?: string;
  ended?: string;
  ongoing?: boolean;
  aware?: string;
  discovery?: string;
  delayReasons?: string;
  origin?: string;
  cause?: string;
  nature?: string;
  peopleCategories?: string;
  measuresBefore?: string;
  measuresAfter?: string;
  informed?: string;
  notInformedGround?: string;
  crossBorder?: string;
  countries?: string;
  json?: boolean;
}

/** The change alone, without the removals: its own contradictions are named before any merge. */
function given(change: Statement): Statement {
  const out: Statement = {};
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined || v === '') continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = given(v as Statement);
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

/** The stored profile, checked; `{}` when none was set. */
async function readOrg(store: Store): Promise<OrgProfile> {
  const s = await store.getOrgProfile();
  return s ? checkOrgProfile(s.value) : {};
}

/** The stored incident of a leak, checked; `{}` when none was stated. */
async function readIncident(store: Store, breach: string): Promise<Incident> {
  const s = await store.getIncident(breach);
  return s ? checkIncident(s.value) : {};
}

function printStatement(ctx: CliContext, value: object, json: boolean | undefined, empty: string): void {
  if (json) {
    ctx.stdout.write(`${JSON.stringify(value)}\n`);
    return;
  }
  const lines: string[] = [];
  const walk = (o: object, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as object, `${prefix}${k}.`);
      else lines.push(`${prefix}${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
    }
  };
  walk(value, '');
  ctx.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : `${empty}\n`);
}

function registerOrg(program: Command, ctx: CliContext): void {
  const org = program.command('org').description('the organisation responsible, as the CNIL notification states it');
  withStoreOptions(
    org
      .command('set')
      .description('set fields of the organisation profile; fields not given are kept, an empty value removes one')
      .option('--name <text>', 'legal name')
      .option('--siren <digits>', 'SIREN number (9 digits, Luhn key checked)')
      .option('--sector <text>', 'sector of activity')
      .option('--headcount <n>', 'number of employees')
      .option('--address <text>', 'postal address')
      .option('--representative <text>', 'legal representative: name and title')
      .option('--contact-name <text>', 'contact person for the CNIL: name')
      .option('--contact-email <email>', 'contact person: email')
      .option('--contact-phone <phone>', 'contact person: phone')
      .option('--dpo-name <text>', 'data protection officer: name')
      .option('--dpo-email <email>', 'data protection officer: email')
      .option('--processor <name>', 'a processor involved (repeat for several; "" clears)', collect)
      .option('--joint-controller <name>', 'a joint controller (repeat for several; "" clears)', collect)
      .option('--json', 'print the profile as JSON'),
  ).action(async (flags: OrgFlags) => {
    const change: Statement = {
      name: flags.name,
      siren: flags.siren,
      sector: flags.sector,
      headcount: flags.headcount,
      address: flags.address,
      representative: flags.representative,
      contact: { name: flags.contactName, email: flags.contactEmail, phone: flags.contactPhone },
      dpo: { name: flags.dpoName, email: flags.dpoEmail },
      processors: flags.processor,
      jointControllers: flags.jointController,
    };
    await withWorld(ctx, flags, async ({ store }) => {
      checkOrgProfile(given(change));
      const before = (await store.getOrgProfile())?.value ?? {};
      const profile = checkOrgProfile(mergeStatement(before, change));
      await store.setOrgProfile({ ...profile });
      printStatement(ctx, profile, flags.json, 'The organisation profile is empty.');
    });
  });
  withStoreOptions(org.command('show').description('show the organisation profile').option('--json', 'print JSON')).action(
    async (flags: StoreFlags & { json?: boolean }) => {
      await withWorld(ctx, flags, async ({ store }) =>
        printStatement(ctx, await readOrg(store), flags.json, 'No organisation profile yet: vigie org set --name ...'),
      );
    },
  );
}

function registerIncident(program: Command, ctx: CliContext): void {
  const incident = program.command('incident').description('what the organisation states about the incident behind a leak');
  withStoreOptions(
    incident
      .command('set')
      .description('set facts of the incident; facts not given are kept, an empty value removes one')
      .argument('<name>', 'the leak name (it need not be ingested yet)')
      .option('--type <type>', 'initial | complementary | complete')
      .option('--initial-reference <ref>', 'the CNIL reference of the initial notification')
      .option('--started <YYYY-MM-DD>', 'when the breach began')
      .option('--ended <YYYY-MM-DD>', 'when it ended')
      .option('--ongoing', 'the breach is still going on')
      .option('--aware <datetime>', 'when the organisation became aware, with its time zone (2026-11-01T14:30+01:00)')
      .option('--discovery <text>', 'how the breach was discovered')
      .option('--delay-reasons <text>', 'why the notification comes after 72 hours')
      .option(
        '--origin <origin>',
        'lost-equipment | stolen-equipment | lost-paper | hacking | ransomware | phishing | wrong-recipient | unintended-publication | other',
      )
      .option('--cause <cause>', 'internal-malicious | internal-accidental | external-malicious | external-accidental | unknown')
      .option('--nature <list>', 'comma-separated: confidentiality, integrity, availability')
      .option('--people-categories <list>', 'comma-separated: customers, prospects, users, members, employees, patients, students, minors, vulnerable, other')
      .option('--measures-before <text>', 'security measures in place before the breach')
      .option('--measures-after <text>', 'measures taken or planned since')
      .option('--informed <answer>', 'yes | planned | undetermined | no')
      .option('--not-informed-ground <ground>', 'with --informed no, the GDPR art. 34(3) ground: 34-3-a | 34-3-b | 34-3-c')
      .option('--cross-border <yes|no>', 'people concerned in other EU/EEA countries')
      .option('--countries <codes>', 'with --cross-border yes, ISO 3166 codes: DE,BE')
      .option('--json', 'print the statement as JSON'),
  ).action(async (name: string, flags: IncidentFlags) => {
    const change: Statement = {
      type: flags.type,
      initialReference: flags.initialReference,
      started: flags.started,
      ended: flags.ended,
      ongoing: flags.ongoing,
      aware: flags.aware,
      discovery: flags.discovery,
      delayReasons: flags.delayReasons,
      origin: flags.origin,
      cause: flags.cause,
      nature: flags.nature,
      peopleCategories: flags.peopleCategories,
      measuresBefore: flags.measuresBefore,
      measuresAfter: flags.measuresAfter,
      informed: flags.informed,
      notInformedGround: flags.notInformedGround,
      crossBorder: flags.crossBorder,
      countries: flags.countries,
    };
    await withWorld(ctx, flags, async ({ store }) => {
      checkIncident(given(change));
      const before = (await store.getIncident(name))?.value ?? {};
      const stated = checkIncident(mergeStatement(before, change));
      await store.setIncident(name, { ...stated });
      printStatement(ctx, stated, flags.json, `Nothing stated about ${name}.`);
    });
  });
  withStoreOptions(incident.command('show').description('show what was stated about an incident').argument('<name>').option('--json', 'print JSON')).action(
    async (name: string, flags: StoreFlags & { json?: boolean }) => {
      await withWorld(ctx, flags, async ({ store }) => printStatement(ctx, await readIncident(store, name), flags.json, `Nothing stated about ${name} yet.`));
    },
  );
}

/** Writes to `--out` (mode 0600) or to stdout. */
async function emit(ctx: CliContext, out: string | undefined, data: Buffer | string): Promise<void> {
  if (out === undefined) {
    ctx.stdout.write(data);
    return;
  }
  try {
    await writeFile(out, data, { mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new VigieError('VIGIE_FILE_NOT_FOUND', `cannot write ${out}: ${code}`, { cause: e });
  }
}

function registerReport(program: Command, ctx: CliContext): void {
  withStoreOptions(
    program
      .command('report')
      .description('the CNIL notification draft of a leak (GDPR art. 33): what Vigie measured, the organisation profile and the incident statement')
      .argument('<name>', 'the leak name')
      .requiredOption('--format <format>', 'cnil (JSON for tools) | markdown | html | pdf')
      .option('--out <file>', 'write to this file (default: stdout)')
      .option('--lang <lang>', 'fr (default, the CNIL’s language) or en'),
  ).action(async (name: string, flags: StoreFlags & { format: string; out?: string; lang?: string }) => {
    if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) throw new VigieError('VIGIE_USAGE', `--format takes ${REPORT_FORMATS.join(', ')}`);
    const lang = parseLang(flags.lang);
    await withWorld(ctx, flags, async ({ store }) => {
      const draft = await draftFromStore(store, name, new Date(), lang);
      if (!draft) throw new VigieError('VIGIE_NOT_FOUND', `no leak named ${JSON.stringify(name.slice(0, 64))}`);
      await emit(ctx, flags.out, await renderDraft(draft, flags.format as ReportFormat));
      if (flags.out !== undefined) {
        ctx.stderr.write(
          `Wrote ${flags.out}: ${draft.missing.length} field(s) still to complete${draft.timeline.deadline ? `, deadline ${draft.timeline.deadline}` : ''}.\n`,
        );
      }
    });
  });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new VigieError('VIGIE_FILE_NOT_FOUND', `cannot read ${file}: ${code}`, { cause: e });
  }
}

function registerNotices(program: Command, ctx: CliContext): void {
  withStoreOptions(
    program
      .command('notices')
      .description('the letters to the people concerned (GDPR art. 34), one per customer of a vigie match output')
      .argument('<name>', 'the leak name')
      .requiredOption('--matches <file>', 'the output of vigie match: CSV id,matched,data_classes or its JSON form')
      .option('--template <file>', 'a letter template with {{placeholders}} (default: the built-in article 34 letter)')
      .option('--lang <lang>', 'fr (default) or en: the language of the letter and its guidance')
      .option('--out <dir>', 'write one <id>.txt per customer and index.csv there (default: JSON Lines on stdout)'),
  ).action(async (name: string, flags: StoreFlags & { matches: string; template?: string; lang?: string; out?: string }) => {
    const lang = parseLang(flags.lang);
    const template =
      flags.template === undefined
        ? parseTemplate(DEFAULT_TEMPLATES[lang], 'the default template')
        : parseTemplate(await readText(flags.template), flags.template);
    const matches = parseMatches(await readText(flags.matches), flags.matches);
    await withWorld(ctx, flags, async ({ store }) => {
      const entry = await store.getBreach(name);
      if (!entry) throw new VigieError('VIGIE_NOT_FOUND', `no leak named ${JSON.stringify(name.slice(0, 64))}`);
      const notices = buildNotices({
        entry,
        org: await readOrg(store),
        incident: await readIncident(store, entry.breach.Name),
        matches,
        template,
        lang,
        now: new Date(),
      });
      if (flags.out === undefined) {
        for (const n of notices)
          ctx.stdout.write(`${JSON.stringify({ id: n.id, lang: n.lang, subject: n.subject, body: n.body, dataClasses: n.dataClasses })}\n`);
        return;
      }
      const dir = flags.out;
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
      } catch (e) {
        throw new VigieError('VIGIE_FILE_NOT_FOUND', `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { cause: e });
      }
      // A few writes at a time: tens of thousands of small files, without opening them all at once.
      for (let i = 0; i < notices.length; i += 32) {
        await Promise.all(
          notices
            .slice(i, i + 32)
            .map((n) => emit(ctx, join(dir, `${n.file}.txt`), n.subject ? `${n.lang === 'fr' ? 'Objet : ' : 'Subject: '}${n.subject}\n\n${n.body}` : n.body)),
        );
      }
      const index = Papa.unparse(
        { fields: ['id', 'file', 'subject'], data: notices.map((n) => [n.id, `${n.file}.txt`, n.subject]) },
        { newline: '\n', escapeFormulae: true },
      );
      await emit(ctx, join(dir, 'index.csv'), `${index}\n`);
      ctx.stderr.write(`Wrote ${notices.length} letter(s) and index.csv to ${dir}.\n`);
    });
  });
}

export function registerNotify(program: Command, ctx: CliContext): void {
  registerOrg(program, ctx);
  registerIncident(program, ctx);
  registerReport(program, ctx);
  registerNotices(program, ctx);
}
