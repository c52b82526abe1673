/** An upstream echo stream → IR events: `text` pieces, then `done` (or `error`). */
import type { StreamParser } from '../../../src/dialect-kit/stream-parser.js';
import { isRecord, parseEventJson } from '../../../src/dialect-kit/json.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { finishFromEcho } from './maps.js';
import { usageFromEcho } from './usage.js';
import { EchoDoneSchema } from './wire-response.js';

export function createStreamParser(): StreamParser {
  let state: 'idle' | 'text' | 'done' = 'idle';
  const begin = (): IrEvent[] => (state === 'idle' ? ((state = 'text'), [{ kind: 'start' }]) : []);
  return {
    push(ev) {
      if (state === 'done') return [];
      const json = parseEventJson(ev);
      if (ev.event === 'text' && isRecord(json) && typeof json.text === 'string') return [...begin(), { kind: 'text_delta', text: json.text }];
      if (ev.event === 'error') {
        state = 'done';
        return [{ kind: 'error', error: { code: 'upstream_error', message: 'upstream reported an error', status: 502 } }];
      }
      const done = ev.event === 'done' ? EchoDoneSchema.safeParse(json) : undefined;
      if (!done?.success) return [];
      const out = [...begin(), ...(done.data.usage ? [{ kind: 'usage', usage: usageFromEcho(done.data.usage) } as const] : [])];
      state = 'done';
      return [...out, { kind: 'finish', reason: finishFromEcho(done.data.stop) }];
    },
    end: () => [],
    get done() {
      return state === 'done';
    },
  };
}
