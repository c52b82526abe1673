import { afterEach, describe, expect, it } from 'vitest';
import type { LastErrorEntry } from '../../src/history/history-store.js';
import { MemoryHistory } from '../../src/history/memory-history.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import { RequestRecord } from '../../src/observability/request-record.js';
import { FakeClock, silentLog } from '../support/fakes.js';

/** A memory history that counts the last-error writes and can refuse the next one. */
class WatchedHistory extends MemoryHistory {
  readonly writes: LastErrorEntry[][] = [];
  failNext = false;

  override async keepLastErrors(entries: readonly LastErrorEntry[]): Promise<void> {
    this.writes.push([...entries]);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('history unreachable');
    }
    await super.keepLastErrors(entries);
  }
}

const clock = new FakeClock();
const recorders: HistoryRecorder[] = [];

function finished(route: string, model: string | undefined, status: number, code?: string): RequestRecord {
  const r = new RequestRecord('req', route, 'openai-chat', clock);
  r.model = model;
  r.status = status;
  r.errorCode = code;
  r.endedAt = clock.now();
  clock.advance(1_000);
  return r;
}

function recorder(history: WatchedHistory): HistoryRecorder {
  const made = new HistoryRecorder(history, clock, silentLog, 60_000);
  recorders.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(recorders.splice(0).map((r) => r.close()));
});

describe('history recorder: last errors', () => {
  it('writes the latest error of each route and model with the batched flush, never per request', async () => {
    const history = new WatchedHistory();
    const rec = recorder(history);
    const first = finished('/v1/messages', 'claude-sonnet-4-6', 429, 'rate_limited');
    const second = finished('/v1/messages', 'claude-sonnet-4-6', 503, 'overloaded');
    second.endpoint = 'anthropic';
    rec.observe(first);
    rec.observe(finished('/v1/chat/completions', undefined, 200));
    rec.observe(second);
    expect(history.writes).toEqual([]);
    await rec.flush();
    expect(history.writes).toHaveLength(1);
    expect(history.writes[0]).toHaveLength(3);
    const latest = { at: second.endedAt, status: 503, code: 'overloaded' };
    expect(Object.fromEntries(await history.lastErrors('route'))).toEqual({ '/v1/messages': latest });
    expect(Object.fromEntries(await history.lastErrors('model'))).toEqual({ 'claude-sonnet-4-6': latest });
    expect(Object.fromEntries(await history.lastErrors('endpoint'))).toEqual({ anthropic: latest });
    await rec.flush();
    expect(history.writes).toHaveLength(1);
  });

  it('keeps errors it could not write for the next flush, unless a newer one came meanwhile', async () => {
    const history = new WatchedHistory();
    const rec = recorder(history);
    rec.observe(finished('/v1/messages', 'claude-sonnet-4-6', 500, 'upstream_error'));
    history.failNext = true;
    await rec.flush();
    expect(await history.lastErrors('route')).toEqual(new Map());
    const newer = finished('/v1/messages', undefined, 400, 'invalid_request');
    rec.observe(newer);
    await rec.flush();
    expect((await history.lastErrors('route')).get('/v1/messages')).toEqual({ at: newer.endedAt, status: 400, code: 'invalid_request' });
    expect((await history.lastErrors('model')).get('claude-sonnet-4-6')).toMatchObject({ status: 500, code: 'upstream_error' });
  });
});
