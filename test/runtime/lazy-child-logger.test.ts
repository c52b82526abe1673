import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { LazyChildLogger } from '../../src/runtime/lazy-child-logger.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('LazyChildLogger', () => {
  it('makes no pino child for a request that logs nothing', () => {
    const { logger } = capture();
    const child = vi.spyOn(logger, 'child');
    const log = new LazyChildLogger(logger, { reqId: 'req_1' }, {});
    expect(log.level).toBe('info');
    log.debug('below the level');
    expect(child).toHaveBeenCalledTimes(1); // the debug call asked for the real logger, which then filtered it
    const idle = new LazyChildLogger(logger, { reqId: 'req_2' }, {});
    expect(idle.level).toBe('info');
    expect(child).toHaveBeenCalledTimes(1);
  });

  it('logs with the request binding, forwarding the arguments as given', async () => {
    const { logger, lines } = capture();
    const log = new LazyChildLogger(logger, { reqId: 'req_7' }, {});
    log.info({ status: 502 }, 'request %s', 'failed');
    log.warn('plain message');
    log.child({ part: 'stream' }).error('from a grandchild');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map(({ reqId, msg, status, part }) => ({ reqId, msg, status, part }))).toEqual([
      { reqId: 'req_7', msg: 'request failed', status: 502, part: undefined },
      { reqId: 'req_7', msg: 'plain message', status: undefined, part: undefined },
      { reqId: 'req_7', msg: 'from a grandchild', status: undefined, part: 'stream' },
    ]);
  });
});
