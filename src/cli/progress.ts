/**
 * A progress bar on stderr when it is a terminal (bytes, records/s, ETA); silent otherwise,
 * so logs and pipes stay clean.
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(p: { bytes: number; totalBytes: number; records: number }): void;
  stop(): void;
}

const MB = 1024 * 1024;

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  const bar = new SingleBar({
    stream,
    format: '{bar} {percentage}% | {mb}/{totalMb} MB | {records} records | {rate} rec/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  let startedBar = false;
  return {
    update({ bytes, totalBytes, records }) {
      const payload = {
        mb: (bytes / MB).toFixed(1),
        totalMb: (totalBytes / MB).toFixed(1),
        records: records.toLocaleString('en-US'),
        rate: Math.round(records / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString('en-US'),
      };
      if (!startedBar) {
        bar.start(Math.max(1, totalBytes), bytes, payload);
        startedBar = true;
      } else bar.update(bytes, payload);
    },
    stop() {
      if (startedBar) bar.stop();
    },
  };
}
