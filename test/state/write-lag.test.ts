import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../src/state/open-store.js';
import { SqliteStore } from '../../src/state/sqlite-store.js';
import { emptyKeyRecord } from '../../src/state/store.js';
import { WriteLag } from '../../src/state/write-lag.js';
import { FakeClock } from '../support/fakes.js';
import { RecordingLog, tempDir } from './helpers.js';

describe('store write lag', () => {
  it('is the wait of the oldest uncommitted write; a batch that leaves later writes restarts it from when it was taken', () => {
    const lag = new WriteLag();
    expect(lag.ms(1_000)).toBe(0);
    lag.queued(1_000);
    lag.queued(1_400);
    expect(lag.ms(1_900)).toBe(900);
    lag.committed(true, 1_800);
    expect(lag.ms(2_000)).toBe(200);
    lag.committed(false, 2_000);
    expect(lag.ms(5_000)).toBe(0);
  });

  it('grows while SQLite counters wait for their batch, and is 0 once written', async () => {
    const tmp = tempDir();
    const clock = new FakeClock();
    const store = SqliteStore.open({ file: join(tmp.dir, SQLITE_FILE_NAME), log: new RecordingLog(), clock, flushIntervalMs: 60_000 });
    try {
      expect(store.writeLagMs(clock.now())).toBe(0);
      store.saveKey({ ...emptyKeyRecord('fp-lag'), success: 1, byStatus: { '200': 1 } });
      clock.advance(750);
      expect(store.writeLagMs(clock.now())).toBe(750);
      await store.flush();
      expect(store.writeLagMs(clock.now())).toBe(0);
    } finally {
      await store.close();
      tmp.remove();
    }
  });
});
