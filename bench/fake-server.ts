/**
 * Bench-only wrapper around test/fake-factory, run as a child process by run.ts. The
 * fake's own CLI takes only --port/--host; the benchmark also needs a fixed scenario,
 * pings, slow chunks and per-key behaviours (402/429 keys), which only the library API
 * exposes. Configuration arrives as one JSON argument; the URL goes back over IPC.
 */
import { startFakeFactory, type Scenario } from '../test/fake-factory/index.js';

export interface FakeConfig {
  scenario: Scenario;
  pings: boolean;
  /** Pause between SSE events; 0 = one event-loop turn (the fake's default). */
  chunkDelayMs: number;
  /** Key → behaviour, e.g. { 'bench-pool-007': { status: 402 } }. */
  keys: Record<string, Partial<Scenario>>;
}

export interface FakeReadyMessage {
  kind: 'ready';
  url: string;
}

/** The fake records every request for the tests; a benchmark would grow it without bound. */
const FORGET_REQUESTS_EVERY_MS = 1_000;

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('fake-server: missing JSON configuration argument');
  const config = JSON.parse(raw) as FakeConfig;
  const fake = await startFakeFactory({
    host: '127.0.0.1',
    port: 0,
    pings: config.pings,
    chunkDelayMs: config.chunkDelayMs > 0 ? config.chunkDelayMs : undefined,
  });
  fake.setScenario(config.scenario);
  for (const [key, behaviour] of Object.entries(config.keys)) fake.setKeyBehaviour(key, behaviour);
  const forget = setInterval(() => {
    fake.requests.length = 0;
  }, FORGET_REQUESTS_EVERY_MS);
  forget.unref();

  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The parent going away must not leave an orphaned server behind.
  process.once('disconnect', stop);
  const ready: FakeReadyMessage = { kind: 'ready', url: fake.url };
  process.send?.(ready);
}

await main();
