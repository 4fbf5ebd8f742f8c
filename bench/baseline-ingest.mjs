// The straightforward pipeline the ingest issue compares against: csv-parse-like streaming
// parse (papaparse here, the faster of the two), libphonenumber-js for every phone, and
// createHmac for every identifier. Usage: node bench/baseline-ingest.mjs FILE LIMIT
import { createReadStream } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import Papa from 'papaparse';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const [file, limitRaw] = process.argv.slice(2);
const limit = Number(limitRaw ?? Infinity);
const key = randomBytes(32);
const seen = new Set();
let records = 0;
const t0 = performance.now();
await new Promise((resolve, reject) => {
  const stream = createReadStream(file);
  Papa.parse(stream, {
    header: true,
    step: (res, parser) => {
      const r = res.data;
      const email = String(r.email ?? '')
        .trim()
        .toLowerCase();
      const phone = parsePhoneNumberFromString(String(r.telephone ?? ''), 'FR');
      const ids = [];
      if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(email)) ids.push('email:' + email);
      if (phone?.isValid()) ids.push('phone:' + phone.number);
      if (r.nir) ids.push('nir:' + String(r.nir).replace(/\s/g, ''));
      for (const id of ids) seen.add(createHmac('sha256', key).update(id).digest('hex').slice(0, 32));
      if (++records >= limit) {
        parser.abort();
        stream.destroy();
        resolve();
      }
    },
    complete: resolve,
    error: reject,
  });
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ records, seconds, recordsPerSecond: records / seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
