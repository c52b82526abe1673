/**
 * `npm run demo`: the gateway wired to the built-in fake Factory, so a newcomer sees it
 * work offline. Prints curl lines to try; Ctrl-C stops both.
 */
import { buildApp } from '../src/app.js';
import { loadSettings } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { closeServices, createServices } from '../src/services-factory.js';
import { startFakeFactory } from '../test/fake-factory/index.js';

const fake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
const env = { ...process.env, FACTORY_BASE_URL: fake.url, FACTORY_API_KEY: 'demo-key-1;demo-key-2', STATE_STORE: 'memory' };
const log = createLogger(process.env.LOG_LEVEL || 'info', Boolean(process.stdout.isTTY));
const settings = loadSettings(env, process.cwd(), (msg) => log.warn(msg));
const services = await createServices(settings, log);
const app = await buildApp(services);
const port = Number(process.env.PORT || 3000);
await app.listen({ port, host: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;

console.log(`
droid2api demo: gateway ${base} -> fake Factory ${fake.url}

Try:
  curl -s ${base}/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"Hello!"}]}'

  curl -sN ${base}/v1/messages -H 'content-type: application/json' \\
    -d '{"model":"gpt-5.2","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Hi"}]}'

Ctrl-C to stop.`);

const stop = async () => {
  await app.close();
  await closeServices(services);
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
