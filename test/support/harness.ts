import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadSettings } from '../../src/config/load.js';
import type { CredentialSource } from '../../src/keys/credential.js';
import { counterIds } from '../../src/runtime/clock.js';
import type { Services } from '../../src/services.js';
import { closeServices, createServices, type ServiceOverrides } from '../../src/services-factory.js';
import { startFakeFactory, type FakeFactory, type FakeFactoryOptions } from '../fake-factory/index.js';

export interface Harness {
  /** Gateway base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  fake: FakeFactory;
  app: FastifyInstance;
  services: Services;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  fake?: FakeFactoryOptions;
  credentials?: CredentialSource;
  overrides?: Partial<ServiceOverrides>;
  logLevel?: string;
  /** The gateway's logger (default: a silent pino, or one at `logLevel`). */
  log?: Logger;
}

/** A real gateway on 127.0.0.1:0 wired to a real fake Factory on 127.0.0.1:0. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeFactory({ host: '127.0.0.1', port: 0, ...options.fake });
  const dir = mkdtempSync(join(tmpdir(), 'd2a-'));
  const env = { FACTORY_API_KEY: 'test-key-1', STATE_STORE: 'memory', DATA_DIR: dir, HOME: dir, ...options.env, FACTORY_BASE_URL: fake.url };
  const settings = loadSettings(env, process.cwd(), () => undefined);
  const log = options.log ?? pino({ level: options.logLevel ?? 'silent' });
  const services = await createServices(settings, log, {
    ids: counterIds(),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...options.overrides,
  });
  const app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    fake,
    app,
    services,
    async close() {
      await app.close();
      await closeServices(services);
      await fake.close();
    },
  };
}

/** The shipped config's representative model of each upstream type. */
export const MODEL_OF_TYPE = {
  anthropic: 'claude-sonnet-4-6',
  openai: 'gpt-5.4',
  google: 'gemini-3-flash-preview',
  common: 'kimi-k2.5',
} as const;
