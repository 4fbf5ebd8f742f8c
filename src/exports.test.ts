/**
 * No unused exports (docs/architecture.md §7): every name a file exports is imported by another
 * file (tests included), directly or through a door's re-export. An export nobody imports is
 * either dead code or a name that should stay private to its file. Biome has no such rule; the
 * compiler's own resolution of every import decides here.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The unused exports found when this check came in, to be removed one by one (most are option
 * and result types re-exported by a door that no caller names yet). The list only shrinks: a new
 * unused export fails the test, and so does an entry that has become used or been removed.
 */
const KNOWN = new Set([
  'src/cli/index.ts: buildProgram',
  'src/cli/ingest.ts: parseSkipLimit',
  'src/cli/progress.ts: Progress',
  'src/cli/test-helpers/run-cli.ts: ErrorExpectation',
  'src/config.ts: defaultDataDir',
  'src/gen/columns.ts: Field',
  'src/gen/data/index.ts: Commune',
  'src/gen/data/places.ts: Commune',
  'src/gen/nir.ts: Birth',
  'src/gen/nir.ts: LAST_BIRTH_YEAR',
  'src/gen/people.ts: PersonKeys',
  'src/gen/record.ts: RenderOptions',
  'src/gen/test-helpers/recount.ts: luhn',
  'src/gen/truth.ts: ClassCount',
  'src/gen/truth.ts: PeopleKey',
  'src/gen/truth.ts: Seen',
  'src/gen/truth.ts: UniqueClass',
  'src/ingest/pseudonyms.ts: PseudonymBatch',
  'src/ingest/shards.ts: ownerOf',
  'src/ingest/test-helpers/leak-search.ts: MIN_NEEDLE',
  'src/ingest/test-helpers/leak-search.ts: phoneWritings',
  'src/normalise/gender.ts: Gender',
  'src/normalise/gender.ts: GenderOptions',
  'src/normalise/phone.ts: PhoneOptions',
  'src/normalise/postcode.ts: PostcodeOptions',
  'src/normalise/test-helpers/phone-oracle.ts: OracleVerdict',
  'src/pseudonymise/key.ts: KeySource',
  'src/read/archive/budget.ts: ARCHIVE_DEFAULTS',
  'src/read/delimited/detect.ts: DELIMITERS',
  'src/read/delimited/detect.ts: Delimiter',
  'src/read/delimited/detect.ts: LineEnding',
  'src/read/delimited/index.ts: DelimitedSkipReason',
  'src/read/delimited/index.ts: DelimitedTuning',
  'src/read/encoding/index.ts: DEFAULT_SAMPLE_BYTES',
  'src/read/encoding/index.ts: DecodeOptions',
  'src/read/encoding/index.ts: DecodedText',
  'src/read/encoding/latin.ts: latinScore',
  'src/read/json/cursor.ts: countNewlines',
  'src/read/json/table.ts: AddResult',
  'src/read/json/test-helpers/collect.ts: Collected',
  'src/read/sqldump/copy-head.ts: CopyOptions',
  'src/read/sqldump/test-helpers/collect.ts: Collected',
  'src/read/sqldump/tuples.ts: TUPLE_MORE',
  'src/recognise/index.ts: Recognition',
  'src/recognise/kinds.ts: COMPOSITE_CLASSES',
  'src/recognise/unnamed.ts: Unnamed',
  'src/report/impact.ts: ReportColumn',
  'src/store/catalogue.ts: FLAGS',
  'src/store/catalogue.ts: addStats',
  'src/store/catalogue.ts: emptyStats',
  'src/store/catalogue.ts: toBreach',
  'src/store/failure.ts: EngineLoad',
  'src/store/postgres/index.ts: PostgresStore',
  'src/store/postgres/migrations.ts: Migration',
  'src/store/postgres/migrations.ts: migrations',
  'src/store/postgres/rows.ts: NAME_ORDER',
  'src/store/sqlite/index.ts: SqliteStore',
  'src/store/sqlite/migrations.ts: Migration',
  'src/store/sqlite/migrations.ts: migrations',
  'src/store/test-helpers/contract.helpers.ts: email',
  'src/store/test-helpers/store.contract.ts: MakeStore',
  'src/store/validate.ts: checkBreachInput',
  'src/test-helpers/errors-doc.ts: ERRORS_DOC',
]);

function unusedExports(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('tsconfig.json not readable');
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const sources = program.getSourceFiles().filter((f) => !f.isDeclarationFile && f.fileName.startsWith(join(ROOT, 'src')));
  const used = new Set<ts.Symbol>();
  const resolve = (s: ts.Symbol | undefined): ts.Symbol | undefined => {
    let cur = s;
    while (cur && cur.flags & ts.SymbolFlags.Alias) cur = checker.getImmediateAliasedSymbol(cur);
    return cur;
  };
  const markChain = (s: ts.Symbol | undefined) => {
    let cur = s;
    while (cur) {
      used.add(cur);
      if (!(cur.flags & ts.SymbolFlags.Alias)) break;
      cur = checker.getImmediateAliasedSymbol(cur);
    }
  };
  for (const file of sources) {
    const visit = (node: ts.Node) => {
      if (ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node)) {
        if (ts.isNamespaceImport(node)) {
          const mod = checker.getSymbolAtLocation((node.parent.parent as ts.ImportDeclaration).moduleSpecifier);
          if (mod) for (const e of checker.getExportsOfModule(mod)) markChain(e);
        } else if (node.name) markChain(checker.getSymbolAtLocation(node.name));
      } else if (ts.isExportSpecifier(node) && node.parent.parent.moduleSpecifier === undefined) {
        // `export { x }` of a local: the local is what is exported, its use decided elsewhere.
      } else if (ts.isImportTypeNode(node) || ts.isCallExpression(node)) {
        // dynamic import('...') and import('...').T: the whole module counts as used.
        const arg =
          ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
            ? node.arguments[0]
            : ts.isImportTypeNode(node)
              ? node.argument
              : undefined;
        const spec = arg && (ts.isLiteralTypeNode(arg) ? arg.literal : arg);
        if (spec && ts.isStringLiteral(spec)) {
          const mod = checker.getSymbolAtLocation(spec);
          if (mod) for (const e of checker.getExportsOfModule(mod)) markChain(e);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const out: string[] = [];
  for (const file of sources) {
    const mod = checker.getSymbolAtLocation(file);
    if (!mod) continue;
    const rel = relative(ROOT, file.fileName);
    for (const e of checker.getExportsOfModule(mod)) {
      // Re-exports are judged at their origin, through the chain.
      if (e.flags & ts.SymbolFlags.Alias) continue;
      const target = resolve(e);
      if (used.has(e) || (target && used.has(target))) continue;
      out.push(`${rel}: ${e.getName()}`);
    }
  }
  return out.sort();
}

describe('exports', () => {
  it('every export is imported somewhere, but for the known list, which only shrinks', () => {
    const unused = unusedExports();
    expect(
      unused.filter((n) => !KNOWN.has(n)),
      'new unused exports: import them or drop `export`',
    ).toEqual([]);
    expect(
      [...KNOWN].filter((n) => !unused.includes(n)),
      'used or gone now: remove from KNOWN',
    ).toEqual([]);
  }, 60_000);
});
