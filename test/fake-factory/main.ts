/**
 * CLI: `node dist/test/fake-factory/main.js --port 18080 --host 127.0.0.1`. Prints the
 * URL on stdout and stops on SIGINT/SIGTERM (used by the demo and the benchmarks).
 */
import { parseArgs } from 'node:util';
import { startFakeFactory } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '18080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`fake-factory: invalid --port ${values.port}\n`);
  process.exit(2);
}
if (values.host !== '127.0.0.1') {
  process.stderr.write('fake-factory: only --host 127.0.0.1 is supported\n');
  process.exit(2);
}

// Nobody reads `requests` here, and a benchmark would otherwise grow it without bound.
const fake = await startFakeFactory({ host: '127.0.0.1', port, maxRecorded: 100 });
process.stdout.write(`${fake.url}\n`);

const stop = (): void => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
