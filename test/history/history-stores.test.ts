import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts, type HistoryRow } from '../../src/history/counts.js';
import { RETENTION_MS, type HistoryStore, type LastErrorEntry } from '../../src/history/history-store.js';
import { MemoryHistory } from '../../src/history/memory-history.js';
import { RedisHistory } from '../../src/history/redis-history.js';
import { SqliteHistory } from '../../src/history/sqlite-history.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);

function row(bucket: number, value: string, requests: number, ttfbBucket = 2): HistoryRow {
  const counts = emptyCounts();
  counts.requests = requests;
  counts.errors5xx = 1;
  counts.tokensIn = 10 * requests;
  counts.ttfb[ttfbBucket] = requests;
  return { resolution: 'minute', bucket, dimension: 'model', value, counts };
}

function lastError(dimension: LastErrorEntry['dimension'], value: string, at: number, status: number, code?: string): LastErrorEntry {
  return { dimension, value, error: { at, status, code } };
}

/**
 * Every history store: rows add up (two writers on the same storage, as WORKERS or replicas
 * are, give the totals of one), reads are by range and dimension, old rows go.
 */
function contract(name: string, open: () => Promise<[HistoryStore, HistoryStore]>, prunes = true): void {
  describe(name, () => {
    let a: HistoryStore;
    let b: HistoryStore;
    beforeAll(async () => {
      [a, b] = await open();
      await a.add([row(T0, 'gpt-5.4', 3), row(T0 + MINUTE, 'gpt-5.4', 1)]);
      await b.add([row(T0, 'gpt-5.4', 2), row(T0, 'claude-sonnet-4-6', 5, 4)]);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('adds the rows of two writers', async () => {
      const rows = await a.read({ resolution: 'minute', dimension: 'model', from: T0, to: T0 + MINUTE });
      expect(rows.map((r) => [r.value, r.counts.requests, r.counts.errors5xx, r.counts.tokensIn, r.counts.ttfb[2]])).toEqual([
        ['claude-sonnet-4-6', 5, 1, 50, 0],
        ['gpt-5.4', 5, 2, 50, 5],
      ]);
      expect(rows.find((r) => r.value === 'claude-sonnet-4-6')?.counts.ttfb[4]).toBe(5);
    });

    it('reads by range, resolution and dimension', async () => {
      expect(await b.read({ resolution: 'minute', dimension: 'model', from: T0 + MINUTE, to: T0 + 2 * MINUTE })).toHaveLength(1);
      expect(await b.read({ resolution: 'hour', dimension: 'model', from: T0, to: T0 + 2 * MINUTE })).toHaveLength(0);
      expect(await b.read({ resolution: 'minute', dimension: 'route', from: T0, to: T0 + 2 * MINUTE })).toHaveLength(0);
    });

    it('keeps the newest last error of each route and model, whichever writer comes last', async () => {
      await a.keepLastErrors([lastError('route', '/v1/messages', T0 + 2_000, 529, 'overloaded'), lastError('model', 'gpt-5.4', T0 + 2_000, 529, 'overloaded')]);
      await b.keepLastErrors([lastError('route', '/v1/messages', T0 + 1_000, 429, 'rate_limited'), lastError('route', '/v1/chat/completions', T0 + 1_000, 400)]);
      expect(Object.fromEntries(await b.lastErrors('route'))).toEqual({
        '/v1/messages': { at: T0 + 2_000, status: 529, code: 'overloaded' },
        '/v1/chat/completions': { at: T0 + 1_000, status: 400, code: undefined },
      });
      expect(Object.fromEntries(await a.lastErrors('model'))).toEqual({ 'gpt-5.4': { at: T0 + 2_000, status: 529, code: 'overloaded' } });
      await b.keepLastErrors([lastError('model', 'gpt-5.4', T0 + 3_000, 500, 'upstream_error')]);
      expect((await a.lastErrors('model')).get('gpt-5.4')).toEqual({ at: T0 + 3_000, status: 500, code: 'upstream_error' });
    });

    it.runIf(prunes)('drops minute rows older than 48 hours', async () => {
      await a.prune(T0 + 48 * 3_600_000 + MINUTE / 2);
      const rows = await a.read({ resolution: 'minute', dimension: 'model', from: T0, to: T0 + 2 * MINUTE });
      expect(rows.map((r) => r.bucket)).toEqual([T0 + MINUTE]);
    });

    it.runIf(prunes)('drops last errors older than the hour rows', async () => {
      await a.prune(T0 + RETENTION_MS.hour + 2_500);
      expect([...(await a.lastErrors('route')).keys()]).toEqual([]);
      expect([...(await a.lastErrors('model')).keys()]).toEqual(['gpt-5.4']);
    });
  });
}

contract('memory history', async () => {
  const one = new MemoryHistory();
  return [one, one];
});

contract('sqlite history (two connections to one file, as WORKERS)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'd2a-hist-')), 'history.sqlite');
  return [SqliteHistory.open(file), SqliteHistory.open(file)];
});

describe.runIf(HAVE_REDIS)('redis', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server.stop();
  });
  // Redis expires buckets itself (a TTL per hash), so prune has nothing to do.
  contract('redis history (two replicas)', async () => {
    const connect = () => {
      const c = new Redis(server.url);
      clients.push(c);
      return new RedisHistory(c, 'd2a-test:');
    };
    return [connect(), connect()];
  }, false);
});
