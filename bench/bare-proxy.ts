/**
 * The floor: the least a Node process in the middle of Factory's protocol costs on this
 * machine. node:http in, undici out (keep-alive, as the gateway), bytes piped both ways,
 * no framework, no parsing, no policies; but the request carries the header set Factory
 * expects (the gateway's own `factoryHeaders`, about twenty headers), since every hop to
 * Factory must send it and it costs both the sender and the upstream's HTTP parser.
 * Gateway minus this is what the gateway's own code costs; this minus direct is what any
 * extra Node hop to Factory costs here (syscalls, wake-ups, HTTP parsing, headers).
 * With `fastify` as second argument, the same hop runs inside Fastify instead of
 * node:http, with the gateway's body handling (every body parsed as JSON, serialised again
 * for the upstream): the framework floor. Gateway minus that is the gateway's own code
 * (pipeline, key pool, hooks); that minus the floor is what the framework costs.
 * Run as a child by run.ts: `node dist/bench/bare-proxy.js <fake url> [fastify]`; URL back over IPC.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import { Agent } from 'undici';
import { anthropicProfile } from '../src/dialects/anthropic/profile.js';
import { factoryHeaders } from '../src/upstream/factory-headers.js';

export interface BareReadyMessage {
  kind: 'ready';
  url: string;
}

/** Only the Anthropic pass-through route: the floor is measured on /v1/messages. */
const UPSTREAM_PATH = '/api/llm/a/v1/messages';

/** The model of the bench's Anthropic scenarios, as config.json has it. */
const MODEL = { id: 'claude-sonnet-4-6', type: 'anthropic', reasoning: 'auto', fast: false, provider: 'anthropic' } as const;

function headersFor(incoming: IncomingHttpHeaders): Record<string, string> {
  return factoryHeaders({
    upstream: anthropicProfile.upstream.factory,
    model: MODEL,
    userAgent: 'factory-cli/0.110.0',
    clientVersion: '0.110.0',
    authorization: 'Bearer bench-bare-key',
    stream: false,
    sessionId: randomUUID(),
    messageId: randomUUID(),
    client: (name) => {
      const v = incoming[name];
      return typeof v === 'string' ? v : undefined;
    },
  });
}

async function forward(origin: string, agent: Agent, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const up = await agent.request({ origin, path: UPSTREAM_PATH, method: 'POST', headers: headersFor(req.headers), body: Buffer.concat(parts) });
  res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
  for await (const chunk of up.body) res.write(chunk);
  res.end();
}

function listenBare(origin: string, agent: Agent, ready: (port: number) => void): () => void {
  const server = createServer((req, res) => {
    forward(origin, agent, req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('bare-proxy: no TCP address');
    ready(address.port);
  });
  return () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
}

/** The same hop in Fastify, reading and writing bodies the way the gateway's routes do. */
function listenFastify(origin: string, agent: Agent, ready: (port: number) => void): () => void {
  const app = Fastify({ keepAliveTimeout: 30_000 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, text, done) => {
    try {
      done(null, JSON.parse(String(text)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.post('/v1/messages', async (request, reply) => {
    const up = await agent.request({ origin, path: UPSTREAM_PATH, method: 'POST', headers: headersFor(request.headers), body: JSON.stringify(request.body) });
    const type = String(up.headers['content-type'] ?? 'application/json');
    if (!type.includes('text/event-stream')) return reply.code(up.statusCode).type(type).send(Buffer.from(await up.body.arrayBuffer()));
    reply.hijack();
    reply.raw.writeHead(up.statusCode, { 'content-type': type });
    for await (const chunk of up.body) reply.raw.write(chunk);
    reply.raw.end();
  });
  app.listen({ port: 0, host: '127.0.0.1' }).then(
    () => {
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('bare-proxy: no TCP address');
      ready(address.port);
    },
    (err: unknown) => {
      throw err;
    },
  );
  return () => {
    void app.close().then(() => process.exit(0));
  };
}

function main(): void {
  const upstream = process.argv[2];
  if (upstream === undefined) throw new Error('bare-proxy: missing upstream URL argument');
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const origin = new URL(upstream).origin;
  const listen = process.argv[3] === 'fastify' ? listenFastify : listenBare;
  const stop = listen(origin, agent, (port) => {
    const ready: BareReadyMessage = { kind: 'ready', url: `http://127.0.0.1:${port}` };
    process.send?.(ready);
  });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

main();
