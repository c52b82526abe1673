import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { RefreshTokenSource } from '../../../src/keys/refresh/refresh-source.js';
import { FACTORY_WORKOS_CLIENT_ID } from '../../../src/keys/refresh/workos-client.js';
import { captureLog, FakeClock, FakeWorkos, tempDir, TOKEN_PATTERN, type LogLine } from './helpers.js';

const HOUR = 3_600_000;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(envToken = 'rt-0'): Promise<{ source: RefreshTokenSource; workos: FakeWorkos; clock: FakeClock; lines: LogLine[] }> {
  const workos = await new FakeWorkos([envToken]).listen();
  const data = await tempDir('d2a-refresh-data-');
  const home = await tempDir('d2a-refresh-home-');
  const clock = new FakeClock();
  const { log, lines } = captureLog();
  const env = { DROID_REFRESH_KEY: envToken, DROID_REFRESH_URL: workos.url };
  const source = RefreshTokenSource.fromEnvironment(env, { dataDir: data.path, homeDir: home.path, clock, log });
  if (!source) throw new Error('expected a refresh source');
  cleanups.push(() => workos.close(), data.remove, home.remove, () => source.close());
  return { source, workos, clock, lines };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GatewayError)) throw new Error('expected a GatewayError');
  return err;
}

describe('RefreshTokenSource', () => {
  it('exchanges the refresh token at start and hands out the access token as a bearer', async () => {
    const { source, workos } = await setup();
    await source.start();
    expect(workos.calls).toEqual([
      {
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: FACTORY_WORKOS_CLIENT_ID },
      },
    ]);
    const lease = await source.acquire({});
    expect(lease.authorization).toBe('Bearer at-1');
    expect(lease.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(source.stats()).toMatchObject({ refreshes: 1, failures: 0, lastError: undefined });
  });

  it('describes its source without the token', async () => {
    const { source } = await setup();
    expect(source.describe()).toBe('credential source: DROID_REFRESH_KEY (refresh token)');
  });

  it('makes exactly one refresh call for 50 concurrent requests on an expired token', async () => {
    const { source, workos, clock } = await setup();
    await source.start();
    const release = workos.hold();
    clock.advance(7 * HOUR);
    const leases = Promise.all(Array.from({ length: 50 }, () => source.acquire({})));
    await vi.waitFor(() => expect(workos.calls).toHaveLength(2));
    release();
    const authorizations = new Set((await leases).map((l) => l.authorization));
    expect([...authorizations]).toEqual(['Bearer at-2']);
    expect(workos.calls).toHaveLength(2);
  });

  it('makes exactly one refresh call when 50 requests arrive before start', async () => {
    const { source, workos } = await setup();
    const leases = await Promise.all(Array.from({ length: 50 }, () => source.acquire({})));
    expect(new Set(leases.map((l) => l.authorization))).toEqual(new Set(['Bearer at-1']));
    expect(workos.calls).toHaveLength(1);
  });

  it('keeps the fingerprint stable across refreshes', async () => {
    const { source, clock } = await setup();
    await source.start();
    const first = await source.acquire({});
    clock.advance(HOUR);
    first.report({ status: 401 });
    const second = await source.acquire({});
    expect(second.authorization).not.toBe(first.authorization);
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it('refreshes when an attempt reports 401, and the next acquire gets the new token', async () => {
    const { source, workos, clock } = await setup();
    await source.start();
    const lease = await source.acquire({});
    clock.advance(60_000);
    expect(lease.report({ status: 401 })).toEqual({ failover: true });
    const next = await source.acquire({});
    expect(next.authorization).toBe('Bearer at-2');
    expect(workos.calls).toHaveLength(2);
  });

  it('does not refresh again when a late 401 arrives for a token already replaced', async () => {
    const { source, workos, clock } = await setup();
    await source.start();
    const a = await source.acquire({});
    const b = await source.acquire({});
    clock.advance(60_000);
    a.report({ status: 403 });
    await source.acquire({});
    expect(b.report({ status: 401 })).toEqual({ failover: true });
    expect((await source.acquire({})).authorization).toBe('Bearer at-2');
    expect(workos.calls).toHaveLength(2);
  });

  it('does not refresh when a token it just obtained is refused', async () => {
    const { source, workos } = await setup();
    await source.start();
    const lease = await source.acquire({});
    expect(lease.report({ status: 401 })).toEqual({ failover: false });
    expect(lease.report({ status: 500 })).toEqual({ failover: false });
    expect((await source.acquire({})).authorization).toBe('Bearer at-1');
    expect(workos.calls).toHaveLength(1);
  });

  it('refreshes in the background before the token is 6 hours old', async () => {
    const { source, workos, clock } = await setup();
    await source.start();
    const [due] = clock.pendingSleeps();
    expect(due).toBeLessThan(6 * HOUR);
    clock.advance(due!);
    await vi.waitFor(() => expect(source.stats().refreshes).toBe(2));
    expect((await source.acquire({})).authorization).toBe('Bearer at-2');
    expect(workos.calls).toHaveLength(2);
  });

  it('refreshes lazily in acquire when the token is older than 6 hours and no loop runs', async () => {
    const { source, workos, clock } = await setup();
    expect((await source.acquire({})).authorization).toBe('Bearer at-1');
    clock.advance(6 * HOUR + 1);
    expect((await source.acquire({})).authorization).toBe('Bearer at-2');
    expect(workos.calls).toHaveLength(2);
  });

  it('survives a failed start and retries with back-off 1 s, 2 s, 4 s until it succeeds', async () => {
    const { source, workos, clock } = await setup();
    workos.failures = 3;
    await expect(source.start()).resolves.toBeUndefined();
    const err = await rejection(source.acquire({}));
    expect(err.code).toBe('upstream_unavailable');
    expect(err.retryAfter).toBe(1);
    for (const [i, delay] of [1_000, 2_000, 4_000].entries()) {
      await vi.waitFor(() => expect(clock.pendingSleeps()).toEqual([delay]));
      clock.advance(delay);
      await vi.waitFor(() => expect(workos.calls).toHaveLength(i + 2));
    }
    await vi.waitFor(() => expect(source.stats().refreshes).toBe(1));
    expect((await source.acquire({})).authorization).toBe('Bearer at-1');
    expect(source.stats()).toMatchObject({ failures: 3, lastError: undefined });
  });

  it('answers upstream_unavailable after waiting a few seconds for a refresh that hangs', async () => {
    const { source, workos, clock } = await setup();
    const release = workos.hold();
    const pending = rejection(source.acquire({}));
    await vi.waitFor(() => expect(workos.calls).toHaveLength(1));
    clock.advance(5_000);
    const err = await pending;
    expect(err.code).toBe('upstream_unavailable');
    expect(err.retryAfter).toBeGreaterThan(0);
    release();
    await vi.waitFor(() => expect(source.stats().refreshes).toBe(1));
    expect((await source.acquire({})).authorization).toBe('Bearer at-1');
  });

  it('stops the background loop on close', async () => {
    const { source, workos, clock } = await setup();
    await source.start();
    await source.close();
    expect(clock.pendingSleeps()).toEqual([]);
    clock.advance(7 * HOUR);
    expect((await rejection(source.acquire({}))).code).toBe('upstream_unavailable');
    expect(workos.calls).toHaveLength(1);
  });

  it('never logs a token or the user identity', async () => {
    const { source, workos, clock, lines } = await setup('env-token-0123456789abcdef');
    workos.failures = 1;
    await source.start();
    clock.advance(1_000);
    await vi.waitFor(() => expect(source.stats().refreshes).toBe(1));
    clock.advance(60_000);
    (await source.acquire({})).report({ status: 401 });
    await source.acquire({});
    expect(lines.map((l) => l.msg)).toContain('refresh token exchanged for a new access token');
    expect(lines.some((l) => l.level === 'warn')).toBe(true);
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(TOKEN_PATTERN);
    expect(text).not.toContain('someone@example.com');
  });

  it('logs through a pino logger without tokens', async () => {
    const workos = await new FakeWorkos(['rt-0']).listen();
    const data = await tempDir('d2a-refresh-pino-');
    let output = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((output += chunk.toString('utf8')), done()) });
    const source = RefreshTokenSource.fromEnvironment(
      { DROID_REFRESH_KEY: 'rt-0', DROID_REFRESH_URL: workos.url },
      { dataDir: data.path, homeDir: data.path, clock: new FakeClock(), log: pino({ level: 'info' }, sink) },
    )!;
    cleanups.push(() => workos.close(), data.remove, () => source.close());
    await source.start();
    expect(output).toContain('refresh token exchanged for a new access token');
    expect(output).not.toMatch(TOKEN_PATTERN);
  });
});
