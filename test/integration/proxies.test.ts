import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedConfigPath } from '../../src/config/load.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

/** A minimal forward proxy (absolute-URI requests and CONNECT tunnels) that counts what it carried. */
async function startProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, seen, server };
}

let h: Harness;
let proxy: Awaited<ReturnType<typeof startProxy>>;
beforeAll(async () => {
  proxy = await startProxy();
  const dir = mkdtempSync(join(tmpdir(), 'd2a-proxy-'));
  const config = JSON.parse(readFileSync(shippedConfigPath(), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, proxies: [{ name: 'office', url: proxy.url }] }));
  h = await startHarness({ env: { DROID2API_CONFIG: join(dir, 'config.json') } });
  h.fake.setScenario({ text: 'via proxy' });
});
afterAll(async () => {
  await h.close();
  proxy.server.closeAllConnections();
  await new Promise((r) => proxy.server.close(r));
});

describe('outbound proxies', () => {
  it('sends upstream calls through the configured proxy', async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const answer = await openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('via proxy');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(h.fake.requests).toHaveLength(1);
  });
});
