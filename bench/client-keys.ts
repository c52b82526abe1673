/**
 * Client keys on the request path, in process (`npm run build && node dist/bench/client-keys.js`):
 * CPU per request of the lookup (the API authenticator with 1,000 client keys: GATEWAY_API_KEY
 * checked first, then SHA-256 and one map lookup), the admission (allow-list glob and the five
 * limits, local counts), and the accounting (the limits' finish, the per-client metrics, the
 * history's client row), each against the same loop without it. Method: docs/PERFORMANCE.md.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { observeClientMetrics } from '../src/clients/client-metrics.js';
import { Clients } from '../src/clients/clients.js';
import { LocalBackend } from '../src/clients/limit-backend.js';
import { ClientRegistry, CLIENTS_VALUE } from '../src/clients/registry.js';
import { hashClientKey, newClientKey, type ClientRecord } from '../src/clients/client-record.js';
import { loadSettings } from '../src/config/load.js';
import { MemoryHistory } from '../src/history/memory-history.js';
import { HistoryRecorder } from '../src/history/recorder.js';
import { RequestObservers, RequestRecord } from '../src/observability/request-record.js';
import { apiAuthenticator } from '../src/routes/client-auth.js';
import { systemClock } from '../src/runtime/clock.js';
import { MemoryStore } from '../src/state/memory-store.js';

const CLIENTS = 1_000;
const ROUNDS = 200_000;
const REPEATS = 5;
const MODEL = 'claude-sonnet-4-6';

async function setUp() {
  const store = new MemoryStore();
  const keys: string[] = [];
  const records: ClientRecord[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const key = newClientKey();
    keys.push(key);
    records.push({ id: `cl_bench${i}`, name: `member-${i}`, keyHash: hashClientKey(key), keyTail: key.slice(-4), models: ['claude-*', 'gpt-5.4'], limits: { rpm: 1e12, tpm: 1e12, tokens_per_day: 1e15, tokens_per_month: 1e15, concurrency: 1e9 }, expiresAt: null, disabled: false, createdAt: i, updatedAt: i });
  }
  await store.setValue(CLIENTS_VALUE, JSON.stringify(records));
  const log = pino({ level: 'silent' });
  const registry = new ClientRegistry(store, systemClock, log);
  await registry.load();
  const config = loadSettings({ STATE_STORE: 'memory' }, process.cwd(), () => undefined).config;
  const clients = new Clients(registry, new LocalBackend(), () => config, systemClock);
  const authenticate = apiAuthenticator(['gw-bench-gateway-key'], registry);
  const recorder = new HistoryRecorder(new MemoryHistory(), systemClock, log, 3_600_000);
  const observers = new RequestObservers();
  observeClientMetrics(new Registry(), observers);
  return { keys, clients, authenticate, recorder, observers };
}

/** CPU microseconds per round of `body`, the median of REPEATS runs. */
async function cpuPerRound(body: (i: number) => void | Promise<void>): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < ROUNDS; i++) await body(i);
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / ROUNDS);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  const { keys, clients, authenticate, recorder, observers } = await setUp();
  const newRecord = (i: number) => {
    const r = new RequestRecord(`req_${i}`, '/v1/messages', 'anthropic', systemClock);
    r.model = MODEL;
    r.status = 200;
    return r;
  };
  const finishRecord = (r: RequestRecord) => {
    r.tokens.input = 100;
    r.tokens.output = 20;
    r.endedAt = r.startedAt;
  };

  // The same request without a client key: record, tokens, history row.
  const bare = await cpuPerRound(async (i) => {
    const r = newRecord(i);
    await Promise.resolve();
    finishRecord(r);
    recorder.observe(r);
    observers.emit(r, () => undefined);
  });
  const lookup = await cpuPerRound((i) => {
    if (authenticate(keys[i % CLIENTS]) === undefined) throw new Error('lookup failed');
  });
  const full = await cpuPerRound(async (i) => {
    const principal = authenticate(keys[i % CLIENTS]);
    if (principal?.kind !== 'client') throw new Error('lookup failed');
    const r = newRecord(i);
    await clients.admit(principal.client, MODEL, r);
    finishRecord(r);
    recorder.observe(r);
    observers.emit(r, () => undefined);
    clients.observe(r);
  });
  await recorder.close();
  const rows = [
    ['request without a client key (record, history, observers)', bare],
    ['lookup alone (1,000 client keys)', lookup],
    ['request with a client key: lookup + admission + accounting', full],
    ['cost of the client key per request (difference)', full - bare],
  ] as const;
  process.stdout.write(`| measure | CPU µs per request |\n|---|---|\n${rows.map(([name, us]) => `| ${name} | ${us.toFixed(2)} |`).join('\n')}\n`);
}

await main();
