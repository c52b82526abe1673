/** Gemini Part → IR part (https://ai.google.dev/api/caching#Part). */
import type { IrImagePart, IrImageSource, IrPart, IrTextPart, IrToolResultPart } from '../ir.js';
import { mediaTypeFromUrl } from '../shared/media.js';
import type { GoogleFunctionResponse, GooglePart } from './wire.js';

/**
 * Pairs function responses with the calls they answer. Gemini ids are optional, so a
 * response without one answers the earliest unanswered call of the same name, which is
 * how Gemini itself matches them.
 */
export class ToolCallLedger {
  readonly #open: Array<{ id: string; name: string }> = [];

  call(id: string, name: string): void {
    this.#open.push({ id, name });
  }

  /**
   * The call id a response answers: the call with its id, else the earliest open call of
   * its name (clients often echo no id, or one for a call that carried none); undefined
   * when nothing matches and the response has no id of its own.
   */
  answer(name: string, id: string | undefined): string | undefined {
    let at = id === undefined ? -1 : this.#open.findIndex((c) => c.id === id);
    if (at === -1) at = this.#open.findIndex((c) => c.name === name);
    if (at === -1) return id;
    return this.#open.splice(at, 1)[0]?.id;
  }
}

/** One content's parts → IR parts; generated ids are `call_<turn>_<n>` so the same body always gives the same ids. */
export function parseContentParts(parts: GooglePart[], turn: number, ledger: ToolCallLedger): IrPart[] {
  const out: IrPart[] = [];
  let n = 0;
  for (const part of parts) {
    if (part.functionCall) {
      const fc = part.functionCall;
      const id = fc.id ?? `call_${turn}_${n++}`;
      ledger.call(id, fc.name);
      out.push({
        kind: 'tool_call',
        id,
        name: fc.name,
        arguments: JSON.stringify(fc.args ?? {}),
        ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
      });
    } else if (part.functionResponse) {
      const callId = ledger.answer(part.functionResponse.name, part.functionResponse.id) ?? `call_${turn}_${n++}`;
      out.push(toolResult(part.functionResponse, callId));
    } else if (part.inlineData) {
      const { mimeType, data } = part.inlineData;
      out.push(mediaPart(mimeType, { type: 'base64', mediaType: mimeType, data }));
    } else if (part.fileData) {
      const { fileUri } = part.fileData;
      out.push(mediaPart(part.fileData.mimeType ?? mediaTypeFromUrl(fileUri), { type: 'url', url: fileUri }));
    } else if (part.thought === true && part.text !== undefined) {
      out.push({
        kind: 'thinking',
        text: part.text,
        ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
      });
    } else if (part.text !== undefined && part.text !== '') {
      out.push({ kind: 'text', text: part.text });
    }
    // executableCode, codeExecutionResult and other built-in tool parts have no IR form.
  }
  return out;
}

function mediaPart(mimeType: string, source: IrImageSource): IrPart {
  return mimeType.startsWith('image/') ? { kind: 'image', source } : { kind: 'file', source };
}

/** The keys a one-field response object commonly wraps its text in. */
const TEXT_KEYS = ['output', 'result', 'content'] as const;

function toolResult(fr: GoogleFunctionResponse, callId: string): IrToolResultPart {
  const response = fr.response ?? {};
  const keys = Object.keys(response);
  const only = keys.length === 1 ? keys[0] : undefined;
  const value = only === undefined ? undefined : response[only];
  const isError = only === 'error' && typeof value === 'string';
  const text =
    typeof value === 'string' && (isError || TEXT_KEYS.some((k) => k === only)) ? value : JSON.stringify(response);
  const content: Array<IrTextPart | IrImagePart> = [{ kind: 'text', text }];
  for (const p of fr.parts ?? []) {
    if (p.inlineData?.mimeType.startsWith('image/')) {
      const { mimeType, data } = p.inlineData;
      content.push({ kind: 'image', source: { type: 'base64', mediaType: mimeType, data } });
    }
  }
  return { kind: 'tool_result', callId, name: fr.name, content, ...(isError && { isError: true }) };
}
