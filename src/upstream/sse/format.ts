import type { SseEvent } from '../../dialects/dialect.js';

/** Renders one event as SSE text; multi-line data becomes several `data:` lines. */
export function formatSse(ev: SseEvent): string {
  let out = '';
  if (ev.event !== undefined) out += `event: ${ev.event}\n`;
  if (ev.id !== undefined) out += `id: ${ev.id}\n`;
  out += ev.data.includes('\n') ? ev.data.split('\n').map((l) => `data: ${l}\n`).join('') : `data: ${ev.data}\n`;
  return out + '\n';
}
