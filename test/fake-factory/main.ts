/**
 * CLI: `node dist/test/fake-factory/main.js --port 18080 --host 127.0.0.1`. Prints the
 * URL on stdout and stops on SIGINT/SIGTERM (used by the demo, the benchmarks and
 * scripts/container-test.sh).
 *   --key KEY=STATUS      that key is answered STATUS (e.g. 402), repeatable
 *   --chunk-delay-ms N    pause between stream chunks (a stream that is still open a while)
 *   --text TEXT           the answer text
 *   --host 0.0.0.0        only inside a container of its own, for gateways in other containers
 */
import { parseArgs } from 'node:util';
import { startFakeFactory } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '18080' },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string', multiple: true, default: [] },
    'chunk-delay-ms': { type: 'string' },
    text: { type: 'string' },
  },
});
function fail(message: string): never {
  process.stderr.write(`fake-factory: ${message}\n`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
const host = values.host;
if (host !== '127.0.0.1' && host !== '0.0.0.0') fail('only --host 127.0.0.1 (or 0.0.0.0 inside a container) is supported');
const chunkDelayMs = values['chunk-delay-ms'] === undefined ? undefined : Number(values['chunk-delay-ms']);
if (chunkDelayMs !== undefined && !(chunkDelayMs >= 0)) fail(`invalid --chunk-delay-ms ${values['chunk-delay-ms']}`);

// Nobody reads `requests` here, and a benchmark would otherwise grow it without bound.
const fake = await startFakeFactory({ host, port, maxRecorded: 100, chunkDelayMs });
if (values.text !== undefined) fake.setScenario({ text: values.text });
for (const spec of values.key) {
  const at = spec.lastIndexOf('=');
  const status = Number(spec.slice(at + 1));
  if (at <= 0 || !Number.isInteger(status)) fail(`invalid --key ${spec.slice(at + 1)}: expected KEY=STATUS`);
  fake.setKeyBehaviour(spec.slice(0, at), { status });
}
process.stdout.write(`${fake.url}\n`);

const stop = (): void => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
