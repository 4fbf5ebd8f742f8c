// The straightforward pipeline the ingest issue compares against: csv-parse-like streaming
// parse (papaparse here, the faster of the two), libphonenumber-js for every phone, and
// createHmac for every identifier; iconv-lite decodes a Windows-1252 file. Columns are found by
// their names (email/courriel, telephone/tel_portable, nir). Usage: node bench/baseline-ingest.mjs FILE LIMIT [ENCODING]
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { createHmac, randomBytes } from 'node:crypto';
import Papa from 'papaparse';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const [file, limitRaw, encoding = 'utf8'] = process.argv.slice(2);
const limit = Number(limitRaw ?? Infinity);
const key = randomBytes(32);
const seen = new Set();
let records = 0;
const t0 = performance.now();
await new Promise((resolve, reject) => {
  const raw = createReadStream(file);
  const stream = encoding === 'utf8' ? raw : raw.pipe(iconv.decodeStream(encoding));
  let cols = null;
  Papa.parse(stream, {
    header: true,
    step: (res, parser) => {
      const r = res.data;
      cols ??= {
        email: Object.keys(r).find((k) => /mail|courriel/i.test(k)),
        phone: Object.keys(r).find((k) => /t[eé]l|phone/i.test(k)),
        nir: Object.keys(r).find((k) => /^nir$/i.test(k)),
      };
      const email = String(r[cols.email] ?? '')
        .trim()
        .toLowerCase();
      const phone = parsePhoneNumberFromString(String(r[cols.phone] ?? ''), 'FR');
      const ids = [];
      if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(email)) ids.push('email:' + email);
      if (phone?.isValid()) ids.push('phone:' + phone.number);
      if (cols.nir && r[cols.nir]) ids.push('nir:' + String(r[cols.nir]).replace(/\s/g, ''));
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
