/** IR → the GenerateContentResponse a Gemini client reads (https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse). */
import type { WireObject } from '../dialect.js';
import { assertNever, type IrResponse, type IrUsage, type WriteContext } from '../ir.js';
import { usageMetadata } from './usage.js';
import { argumentsObject } from '../../dialect-kit/json.js';
import { FINISH_TO_GOOGLE } from './maps.js';
import type { GooglePartOut } from './wire-request.js';
import type { GoogleGenerateContentResponse } from './wire-response.js';

/** One response object with a single candidate; `finishReason` only on the last chunk. */
export function responseObject(
  ctx: WriteContext,
  parts: GooglePartOut[],
  finishReason?: string,
  usage?: IrUsage,
): GoogleGenerateContentResponse {
  const candidate = {
    content: { role: 'model' as const, parts },
    ...(finishReason !== undefined && { finishReason }),
    index: 0,
  };
  return {
    candidates: [candidate],
    ...(usage !== undefined && { usageMetadata: usageMetadata(usage) }),
    modelVersion: ctx.model,
    responseId: ctx.id,
  };
}

export function functionCallPart(id: string, name: string, args: string, signature?: string): GooglePartOut {
  const part: GooglePartOut = { functionCall: { name, args: argumentsObject(args), id } };
  if (signature !== undefined) part.thoughtSignature = signature;
  return part;
}

/** A candidate needs at least one part; an empty text part is what Gemini itself sends. */
export function nonEmpty(parts: GooglePartOut[]): GooglePartOut[] {
  return parts.length > 0 ? parts : [{ text: '' }];
}

export function writeGoogleResponse(res: IrResponse, ctx: WriteContext): WireObject {
  const parts = res.content.flatMap((c): GooglePartOut[] => {
    switch (c.kind) {
      case 'text':
        return c.text === '' ? [] : [{ text: c.text }];
      case 'thinking':
        // Redacted thinking has no Gemini form.
        if (c.redacted !== undefined) return [];
        return [{ text: c.text, thought: true, ...(c.signature !== undefined && { thoughtSignature: c.signature }) }];
      case 'tool_call':
        return [functionCallPart(c.id, c.name, c.arguments, c.signature)];
      default:
        return assertNever(c);
    }
  });
  return { ...responseObject(ctx, nonEmpty(parts), FINISH_TO_GOOGLE[res.finishReason], res.usage) };
}
