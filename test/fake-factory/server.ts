import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeAllowances, type FakeAllowance } from './allowance.js';
import { anthropicCountTokens, anthropicMessages } from './anthropic.js';
import { openaiChat } from './chat.js';
import { defaultMessage, errorReply, type Family } from './errors.js';
import { googleGenerate } from './gemini.js';
import { Invalid, isRecord } from './json.js';
import { resolvePlan, type Endpoint, type Ids } from './plan.js';
import { closed, sendReply, type Reply } from './reply.js';
import { openaiResponses } from './responses.js';
import type { FakeFactory, FakeFactoryOptions, KeyStats, RecordedRequest, Scenario, ScenarioSource } from './types.js';

/** Factory's paths, exactly. */
const ROUTES: Readonly<Record<string, Endpoint>> = {
  '/api/llm/a/v1/messages': anthropicMessages,
  '/api/llm/a/v1/messages/count_tokens': anthropicCountTokens,
  '/api/llm/o/v1/responses': openaiResponses,
  '/api/llm/o/v1/chat/completions': openaiChat,
  '/api/llm/g/v1/generate': googleGenerate,
};

/** Status of a non-stream answer that fails mid-generation ('error-event' on a JSON request). */
const FAILED_STATUS: Record<Family, number> = { anthropic: 529, openai: 500, google: 503 };

function familyOf(path: string): Family {
  if (path.startsWith('/api/llm/a/')) return 'anthropic';
  if (path.startsWith('/api/llm/g/')) return 'google';
  return 'openai';
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(parts).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class FakeFactoryServer implements FakeFactory {
  url = '';
  port = 0;
  readonly requests: RecordedRequest[] = [];
  /** Requests to the usage endpoints, kept apart so counts of LLM requests stay as they were. */
  readonly usageRequests: RecordedRequest[] = [];
  readonly #allowances = new FakeAllowances();
  #scenario: ScenarioSource = {};
  readonly #keys = new Map<string, Partial<Scenario>>();
  readonly #log = new Map<string, KeyStats>();
  #serial = 0;
  readonly #server: Server;
  readonly #ids: Ids = {
    next: (prefix) => `${prefix}fake${String(++this.#serial).padStart(8, '0')}`,
    serial: () => ++this.#serial,
  };

  private constructor(private readonly options: FakeFactoryOptions) {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => this.#crash(res, err));
    });
    this.#server.keepAliveTimeout = 30_000;
  }

  static async start(options: FakeFactoryOptions = {}): Promise<FakeFactoryServer> {
    const fake = new FakeFactoryServer(options);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = fake.#server.address();
    if (address === null || typeof address === 'string') throw new Error('fake factory: no TCP address');
    fake.port = address.port;
    fake.url = `http://${host}:${address.port}`;
    return fake;
  }

  setScenario(s: ScenarioSource): void {
    this.#scenario = s;
  }

  setKeyBehaviour(key: string, b: Partial<Scenario> | undefined): void {
    if (b === undefined) this.#keys.delete(key);
    else this.#keys.set(key, b);
  }

  setAllowance(key: string, allowance: FakeAllowance | undefined): void {
    this.#allowances.set(key, allowance);
  }

  allowanceOf(key: string): FakeAllowance | undefined {
    return this.#allowances.get(key, this.#now());
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  keyLog(): Map<string, KeyStats> {
    const copy = new Map<string, KeyStats>();
    for (const [k, v] of this.#log) copy.set(k, { count: v.count, statuses: { ...v.statuses } });
    return copy;
  }

  reset(): void {
    this.requests.length = 0;
    this.#scenario = {};
    this.#keys.clear();
    this.#log.clear();
    this.#allowances.clear();
    this.usageRequests.length = 0;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const key = bearer(req.headers.authorization);
    const recorded: RecordedRequest = {
      path,
      headers: { ...req.headers },
      body: parseJson(raw),
      text: raw,
      key,
      at: this.#now(),
    };
    const usage = req.method === 'GET' ? this.#allowances.answer(path, key, recorded.at) : undefined;
    if (usage !== undefined) {
      this.usageRequests.push(recorded);
      await sendReply(res, usage, { chunking: 'whole', chunkDelayMs: undefined });
      return;
    }
    this.requests.push(recorded);
    const max = this.options.maxRecorded ?? Infinity;
    if (this.requests.length > max) this.requests.splice(0, this.requests.length - max);
    if (key !== undefined) this.#stats(key).count += 1;
    const reply = await this.#reply(recorded, raw.length, req.method ?? 'GET', res);
    if (reply === 'hang') {
      if (key !== undefined) this.#stats(key).statuses[0] = (this.#stats(key).statuses[0] ?? 0) + 1;
      return;
    }
    if (reply === 'drop') {
      // The connection dies before any byte of an answer: the client sees a socket error.
      res.socket?.destroy();
      if (key !== undefined) this.#stats(key).statuses[0] = (this.#stats(key).statuses[0] ?? 0) + 1;
      return;
    }
    const status = await sendReply(res, reply, {
      chunking: this.options.chunking ?? 'per-event',
      chunkDelayMs: this.options.chunkDelayMs,
    });
    if (key !== undefined) {
      const statuses = this.#stats(key).statuses;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }

  async #reply(rec: RecordedRequest, rawLength: number, method: string, res: ServerResponse): Promise<Reply | 'drop' | 'hang'> {
    const endpoint = method === 'POST' ? ROUTES[rec.path] : undefined;
    const family = endpoint?.family ?? familyOf(rec.path);
    const requestId = this.#ids.next('req_');
    const fail = (status: number, message: string, e?: Invalid): Reply =>
      errorReply(family, status, { message, param: e?.param, code: e?.code, requestId });
    if (endpoint === undefined) return fail(404, `${method} ${rec.path} not found`);
    if (this.options.requireAuth !== false && rec.key === undefined) {
      return fail(401, 'missing bearer token in the authorization header');
    }
    if (rec.key !== undefined && this.#allowances.exhausted(rec.key, this.#now())) return fail(402, defaultMessage(402));
    const body = rec.body;
    if (!isRecord(body)) return fail(400, 'The request body is not valid JSON.');
    const base = typeof this.#scenario === 'function' ? this.#scenario(rec) : this.#scenario;
    const scenario: Scenario = { ...base, ...(rec.key === undefined ? {} : this.#keys.get(rec.key)) };
    if (scenario.delayMs !== undefined && scenario.delayMs > 0) await sleep(scenario.delayMs);
    if (scenario.dropConnection) return 'drop';
    if (scenario.hang !== undefined) {
      if (scenario.hang === 'body') {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        res.flushHeaders();
      }
      await closed(res);
      return 'hang';
    }
    if (scenario.status !== undefined && scenario.status >= 400) {
      const message = scenario.errorMessage ?? defaultMessage(scenario.status);
      return errorReply(family, scenario.status, { message, requestId, retryAfter: scenario.retryAfter });
    }
    try {
      endpoint.validate(body);
    } catch (e) {
      if (e instanceof Invalid) return fail(400, e.message, e);
      throw e;
    }
    const plan = resolvePlan(endpoint, body, scenario, rawLength);
    const googleMode = this.options.googleMode ?? 'sse';
    const stream = endpoint.isStream(body, googleMode);
    if (!stream && plan.midStream === 'error-event') {
      const status = FAILED_STATUS[family];
      return errorReply(family, status, { message: scenario.errorMessage ?? defaultMessage(status), requestId });
    }
    const eol = this.options.lineEnding ?? (family === 'google' ? '\r\n' : '\n');
    const nowMs = (this.options.now ?? Date.now)();
    const reply = endpoint.answer({ plan, body, ids: this.#ids, nowMs, pings: this.options.pings === true, eol, requestId, googleMode });
    if (rec.key !== undefined) this.#allowances.spend(rec.key, plan.usage.input + plan.usage.output, nowMs);
    if (!stream && plan.midStream === 'cut') reply.cut = true;
    return reply;
  }

  #stats(key: string): KeyStats {
    let stats = this.#log.get(key);
    if (stats === undefined) {
      stats = { count: 0, statuses: {} };
      this.#log.set(key, stats);
    }
    return stats;
  }

  /** A bug in the fake must fail the test loudly, not hang the client. */
  #crash(res: ServerResponse, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `fake factory crashed: ${message}`, type: 'server_error' } }));
  }
}
