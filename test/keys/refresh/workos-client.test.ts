import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { RefreshTokenSource } from '../../../src/keys/refresh/refresh-source.js';
import { DEFAULT_REFRESH_URL, WorkosClient } from '../../../src/keys/refresh/workos-client.js';
import { captureLog, FakeClock, FakeWorkos } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GatewayError)) throw new Error('expected a GatewayError');
  return err;
}

function mockWorkos(reply: { status: number; body: unknown }): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get('https://api.workos.com')
    .intercept({ path: '/user_management/authenticate', method: 'POST' })
    .reply(reply.status, JSON.stringify(reply.body), { headers: { 'content-type': 'application/json' } });
  cleanups.push(() => agent.close());
  return agent;
}

describe('WorkosClient', () => {
  it('returns the new access token and the rotated refresh token', async () => {
    const workos = await new FakeWorkos(['rt-0']).listen();
    cleanups.push(() => workos.close());
    const pair = await new WorkosClient({ url: workos.url }).exchange('rt-0');
    expect(pair).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' });
  });

  it('reports a refused refresh token as authentication without the token or the body', async () => {
    const workos = await new FakeWorkos([]).listen();
    cleanups.push(() => workos.close());
    const err = await failure(new WorkosClient({ url: workos.url }).exchange('rt-secret'));
    expect(err.code).toBe('authentication');
    expect(err.message).toBe('WorkOS refresh answered 400 invalid_grant');
  });

  it('reports a WorkOS server error as upstream_unavailable', async () => {
    const workos = await new FakeWorkos(['rt-0']).listen();
    workos.failures = 1;
    cleanups.push(() => workos.close());
    const err = await failure(new WorkosClient({ url: workos.url }).exchange('rt-0'));
    expect(err.code).toBe('upstream_unavailable');
    expect(err.message).not.toContain('rt-0');
  });

  it('rejects a 2xx answer without the tokens as upstream_error', async () => {
    const agent = mockWorkos({ status: 200, body: { user: { email: 'someone@example.com' } } });
    const err = await failure(new WorkosClient({ url: DEFAULT_REFRESH_URL, dispatcher: agent }).exchange('rt-0'));
    expect(err.code).toBe('upstream_error');
  });

  it('reports a connection failure as upstream_unavailable', async () => {
    const workos = await new FakeWorkos([]).listen();
    const url = workos.url;
    await workos.close();
    const err = await failure(new WorkosClient({ url }).exchange('rt-0'));
    expect(err.code).toBe('upstream_unavailable');
  });

  it('sends through the dispatcher given to fromEnvironment, to the default WorkOS URL', async () => {
    const agent = mockWorkos({ status: 200, body: { access_token: 'at-mock', refresh_token: 'rt-mock', organization_id: 'org_1' } });
    const source = RefreshTokenSource.fromEnvironment(
      { DROID_REFRESH_KEY: 'rt-0' },
      { dataDir: '/nonexistent/d2a-data', homeDir: '/nonexistent/d2a-home', clock: new FakeClock(), log: captureLog().log, dispatcher: agent },
    )!;
    cleanups.push(() => source.close());
    expect((await source.acquire({})).authorization).toBe('Bearer at-mock');
  });
});
