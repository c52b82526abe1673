/** USAGE_RETENTION_DAYS: how long the hourly history (client usage) is kept. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { emptyCounts } from '../../src/history/counts.js';
import { openHistory } from '../../src/history/open-history.js';

const DAY = 86_400_000;

describe('USAGE_RETENTION_DAYS', () => {
  it('defaults to 90, refuses nonsense with one line', () => {
    const base = { DATA_DIR: mkdtempSync(join(tmpdir(), 'd2a-ret-')) };
    expect(loadSettings(base, process.cwd(), () => undefined).usageRetentionDays).toBe(90);
    expect(loadSettings({ ...base, USAGE_RETENTION_DAYS: '400' }, process.cwd(), () => undefined).usageRetentionDays).toBe(400);
    expect(() => loadSettings({ ...base, USAGE_RETENTION_DAYS: '0' }, process.cwd(), () => undefined)).toThrow(/USAGE_RETENTION_DAYS/);
    expect(() => loadSettings({ ...base, USAGE_RETENTION_DAYS: 'forever' }, process.cwd(), () => undefined)).toThrow(/USAGE_RETENTION_DAYS/);
  });

  for (const kind of ['memory', 'sqlite'] as const) {
    it(`${kind}: hour rows older than the retention are pruned, younger ones kept`, async () => {
      const history = await openHistory({ kind, dataDir: mkdtempSync(join(tmpdir(), 'd2a-ret-')), redis: { url: '', prefix: '' }, usageRetentionDays: 10 });
      const now = 1_800_000_000_000 - (1_800_000_000_000 % 3_600_000);
      const row = (bucket: number) => ({ resolution: 'hour' as const, bucket, dimension: 'client' as const, value: 'cl_x|m', counts: { ...emptyCounts(), requests: 1 } });
      await history.add([row(now - 11 * DAY), row(now - 9 * DAY)]);
      await history.prune(now);
      const left = await history.read({ resolution: 'hour', dimension: 'client', from: now - 100 * DAY, to: now });
      expect(left.map((r) => r.bucket)).toEqual([now - 9 * DAY]);
      await history.close();
    });
  }
});
