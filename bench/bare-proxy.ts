/**
 * The floor: the least a Node process in the middle costs on this machine. node:http in,
 * undici out (keep-alive, as the gateway), bytes piped both ways, no framework, no
 * parsing, no policies. Gateway minus this is what the gateway's own code costs; this
 * minus direct is what any extra Node hop costs here (syscalls, wake-ups, HTTP parsing).
 * Run as a child by run.ts: `node dist/bench/bare-proxy.js <fake url>`; URL back over IPC.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, request } from 'undici';

export interface BareReadyMessage {
  kind: 'ready';
  url: string;
}

/** Only the Anthropic pass-through route: the floor is measured on /v1/messages. */
const UPSTREAM_PATH = '/api/llm/a/v1/messages';

async function forward(upstream: string, agent: Agent, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const up = await request(upstream + UPSTREAM_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-bare-key', 'anthropic-version': '2023-06-01' },
    body: Buffer.concat(parts),
    dispatcher: agent,
  });
  res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
  for await (const chunk of up.body) res.write(chunk);
  res.end();
}

function main(): void {
  const upstream = process.argv[2];
  if (upstream === undefined) throw new Error('bare-proxy: missing upstream URL argument');
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const server = createServer((req, res) => {
    forward(upstream, agent, req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('bare-proxy: no TCP address');
    const ready: BareReadyMessage = { kind: 'ready', url: `http://127.0.0.1:${address.port}` };
    process.send?.(ready);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

main();
