import { describe, expect, it } from 'vitest';
import { emptyCounts, type HistoryRow } from '../../src/history/counts.js';
import { groupUsage, parseGroups, usageCsv } from '../../src/clients/usage-report.js';

const H = 3_600_000;
const DAY0 = Date.UTC(2026, 11, 1);
const row = (bucket: number, value: string, requests: number, tokensIn: number): HistoryRow => ({ resolution: 'hour', bucket, dimension: 'client', value, counts: { ...emptyCounts(), requests, tokensIn, tokensOut: 1, errors4xx: 1 } });
const ROWS = [row(DAY0, 'cl_a|m1', 1, 10), row(DAY0 + H, 'cl_a|m2', 2, 20), row(DAY0 + 25 * H, 'cl_b|m1', 3, 30)];
const names = (id: string) => ({ cl_a: 'ann', cl_b: '=bad,"name"' })[id];

describe('usage report', () => {
  it('groups by client, model, day and hour, in combination', () => {
    expect(groupUsage(ROWS, ['client'], names).map((r) => [r.client, r.requests, r.tokens_in, r.errors])).toEqual([['=bad,"name"', 3, 30, 1], ['ann', 3, 30, 2]]);
    expect(groupUsage(ROWS, ['model'], names).map((r) => [r.model, r.requests])).toEqual([['m1', 4], ['m2', 2]]);
    expect(groupUsage(ROWS, ['day'], names).map((r) => [r.day, r.requests])).toEqual([['2026-12-01', 3], ['2026-12-02', 3]]);
    expect(groupUsage(ROWS, ['hour', 'client'], names).map((r) => [r.hour, r.client])).toEqual([['2026-12-01T00:00:00.000Z', 'ann'], ['2026-12-01T01:00:00.000Z', 'ann'], ['2026-12-02T01:00:00.000Z', '=bad,"name"']]);
    expect(groupUsage([row(DAY0, 'cl_gone|m1', 1, 1)], ['client'], names)[0]).toMatchObject({ client: '(deleted)', client_id: 'cl_gone' });
  });

  it('CSV quotes what needs it and defuses spreadsheet formulas', () => {
    const csv = usageCsv(groupUsage(ROWS, ['client'], names), ['client']);
    expect(csv.split('\r\n')).toEqual(['client,client_id,requests,errors,tokens_in,tokens_out,tokens_cached,tokens_total', `"'=bad,""name""",cl_b,3,1,30,1,0,31`, 'ann,cl_a,3,2,30,2,0,32', '']);
  });

  it('group_by: a clear error for anything else', () => {
    expect(parseGroups(undefined)).toEqual(['client']);
    expect(parseGroups('client,model,client')).toEqual(['client', 'model']);
    expect(() => parseGroups('week')).toThrow(/group_by/);
  });
});
