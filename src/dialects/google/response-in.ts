/** An upstream Gemini answer read whole: one GenerateContentResponse, or a JSON array of them → IR events. */
import type { IrEvent } from '../ir.js';
import { GoogleResponseReader } from './stream-in.js';

export function parseGoogleResponse(json: unknown): IrEvent[] {
  const reader = new GoogleResponseReader();
  const out: IrEvent[] = [];
  for (const chunk of Array.isArray(json) ? json : [json]) {
    out.push(...reader.push(chunk));
    if (reader.state === 'failed') return out;
  }
  return [...out, ...reader.end()];
}

