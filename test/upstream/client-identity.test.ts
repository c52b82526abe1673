import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLatestCliVersion } from '../../src/upstream/cli-version-check.js';
import { ClientIdentity } from '../../src/upstream/client-identity.js';
import { factoryHeaders } from '../../src/upstream/factory-headers.js';
import type { DialectId } from '../../src/dialects/ir.js';
import { DIALECTS } from '../../src/dialects/registry.js';

const log = pino({ level: 'silent' });
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A local stand-in for Factory's download server answering `status` with `body`. */
async function versionServer(status: number, body: string): Promise<string> {
  server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/factory-cli/LATEST`;
}

describe('client identity', () => {
  it('presents factory-cli/<version> from the configured user agent', () => {
    const id = new ClientIdentity('factory-cli/0.104.2');
    expect(id.userAgent).toBe('factory-cli/0.104.2');
    expect(id.version).toBe('0.104.2');
  });

  it('adopts only a newer well-formed version', () => {
    const id = new ClientIdentity('factory-cli/0.104.2');
    expect(id.adopt('0.99.0')).toBe(false);
    expect(id.adopt('0.104.10')).toBe(true);
    expect(id.adopt('banana')).toBe(false);
    expect(id.userAgent).toBe('factory-cli/0.104.10');
  });

  it.each<DialectId>(['anthropic', 'openai-responses', 'google', 'openai-chat'])('sends user-agent and x-client-version to the %s upstream', (dialect) => {
    const headers = factoryHeaders({
      upstream: DIALECTS[dialect].profile.upstream.factory,
      model: { id: 'm', type: 'anthropic', reasoning: 'auto', fast: false },
      userAgent: 'factory-cli/0.110.0',
      clientVersion: '0.110.0',
      authorization: 'Bearer k',
      stream: false,
      sessionId: 's',
      messageId: 'm',
      client: () => undefined,
    });
    expect(headers['user-agent']).toBe('factory-cli/0.110.0');
    expect(headers['x-client-version']).toBe('0.110.0');
  });
});

describe('latest CLI version check', () => {
  it('adopts the version the download server names', async () => {
    const id = new ClientIdentity('factory-cli/0.100.0');
    await checkLatestCliVersion(await versionServer(200, '0.112.3\n'), id, log);
    expect(id.userAgent).toBe('factory-cli/0.112.3');
  });

  it.each([
    [404, 'not found'],
    [200, '<html>maintenance</html>'],
    [200, '0.90.0'],
  ])('keeps the configured version when the server answers %i %j', async (status, body) => {
    const id = new ClientIdentity('factory-cli/0.100.0');
    await checkLatestCliVersion(await versionServer(status, body), id, log);
    expect(id.version).toBe('0.100.0');
  });

  it('keeps the configured version and does not throw when offline', async () => {
    const url = await versionServer(200, '9.9.9');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const id = new ClientIdentity('factory-cli/0.100.0');
    await expect(checkLatestCliVersion(url, id, log)).resolves.toBeUndefined();
    expect(id.version).toBe('0.100.0');
  });
});
