// One measured ingest run (dry run) in its own process, so that peak RSS is this run's alone.
// Usage: node bench/run-ingest.mjs FILE WORKERS
import { ingest } from '../dist/ingest/index.js';

const [file, workers] = process.argv.slice(2);
const t0 = performance.now();
const report = await ingest({ files: [file], breach: { name: 'Bench' }, dryRun: true, workers: Number(workers) });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    records: report.records,
    people: report.people,
    seconds,
    recordsPerSecond: report.records / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
