import { expectNumber, MediaError } from '../../core/errors.js';
import { EXIT, type CliIo } from '../io.js';

/** A merge that finds a shard missing or stale says so in one line and exits 2: the fix is to re-run tasks, not a bug. */
export async function reportingShardErrors(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof MediaError) || e.code !== 'SHARDS_INCOMPLETE') throw e;
    io.stderr.write(`media-dedupe ${name}: ${e.message}\n`);
    return EXIT.usage;
  }
}

/** --memory GB as bytes, for `plan` and `pairs --from-shards` alike (undefined: the default). */
export const taskMemory = (options: Record<string, unknown>): number | undefined =>
  options.memory === undefined ? undefined : Math.floor(expectNumber('--memory', options.memory, 0.01, 1 << 20) * 2 ** 30);

export const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 2 : 1)} GB`;
export const cpuTime = (s: number): string =>
  s < 120 ? `${s.toFixed(1)} CPU-s` : s < 7200 ? `${(s / 60).toFixed(1)} CPU-min` : `${(s / 3600).toFixed(1)} CPU-h`;
