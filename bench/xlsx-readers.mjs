// Compares xlsx readers on one 9-column sheet of generated French people (`vigie gen`,
// standard preset) written by openpyxl (src/read/xlsx/test-helpers/csv-to-xlsx.py: dates as
// real dates, digit-only phones and NIR as numbers, the rest shared strings).
// Run: npx tsx bench/xlsx-readers.mjs [rows=100000] [rounds=3]
// exceljs is not a dependency: install it apart and point EXCELJS at it, e.g.
//   (cd /tmp/xlsxbench && npm install exceljs@4.4.0); EXCELJS=/tmp/xlsxbench/node_modules/exceljs/excel.js
// Each reader runs in a child process of its own so that its peak RSS is its own. The figures of
// the same reader over saxes 6.0 instead of its own tokenizer came from commit 6be9865 of this
// script (`vigie-saxes`, VIGIE_XLSX_SAXES=1), before saxes was removed.
// Figures and the decision they led to: docs/adr/0005-xlsx-reader.md.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [, script, mode, arg] = process.argv;

if (mode === '--child') {
  const [reader, file] = arg.split('|');
  // Modules are loaded (and, for ours, transpiled by tsx) before the clock starts.
  const { readSource } = await import('../src/read/index.ts');
  const excel = reader === 'exceljs' ? await import(process.env.EXCELJS ?? 'exceljs') : undefined;
  const t0 = performance.now();
  let rows = 0;
  let cells = 0;
  if (reader === 'vigie') {
    for await (const ev of readSource(file, { displayName: file })) {
      if (ev.kind === 'rows') {
        rows += ev.rows.length;
        for (const r of ev.rows) cells += r.length;
      } else if (ev.kind === 'table') rows += ev.headerRow ? 1 : 0;
    }
  } else {
    const ExcelJS = excel.default ?? excel;
    const wb = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    });
    for await (const ws of wb) {
      for await (const row of ws) {
        rows++;
        // `row.values` is what a caller gets: numbers, Dates and strings, 1-based.
        for (const v of row.values) if (v !== undefined) cells++;
      }
    }
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, rows, cells, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const ROWS = Number(mode ?? 100_000);
const ROUNDS = Number(arg ?? 3);
const here = fileURLToPath(new URL('.', import.meta.url));
const csv = join(tmpdir(), `vigie-bench-xlsx-${ROWS}.csv`);
const xlsx = join(tmpdir(), `vigie-bench-xlsx-${ROWS}.xlsx`);
if (!existsSync(xlsx)) {
  const { writeDataset } = await import('../src/gen/index.ts');
  await writeDataset({ out: csv, rows: ROWS, seed: 11, format: 'csv', columns: 'standard' });
  const t = performance.now();
  execFileSync('/usr/bin/python3', [join(here, '../src/read/xlsx/test-helpers/csv-to-xlsx.py'), csv, xlsx, `${xlsx}.json`]);
  console.log(`openpyxl wrote ${xlsx} (${(statSync(xlsx).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
for (const reader of ['vigie', 'exceljs']) {
  if (reader === 'exceljs' && process.env.EXCELJS === undefined) {
    console.log('exceljs: skipped (set EXCELJS, see the head of this file)');
    continue;
  }
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, script, '--child', `${reader}|${xlsx}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
    runs.push(JSON.parse(out));
  }
  runs.sort((a, b) => a.ms - b.ms);
  const best = runs[0];
  console.log(
    `${reader.padEnd(8)} best of ${ROUNDS}: ${(best.ms / 1000).toFixed(2)} s, ${Math.round((best.rows / best.ms) * 1000)} rows/s, ` +
      `peak RSS ${Math.round(best.maxRssMb)} MB (rounds: ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')} s; ${best.rows} rows, ${best.cells} cells)`,
  );
}
