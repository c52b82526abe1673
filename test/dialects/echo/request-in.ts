/** A client's echo request → IR: one user message, and the instruction as the system text. */
import type { IrRequest } from '../../../src/dialects/ir.js';
import { parseBody } from '../../../src/dialect-kit/validate.js';
import { EchoRequestSchema } from './wire-request.js';

export function parseRequest(body: unknown): IrRequest {
  const req = parseBody(EchoRequestSchema, body);
  return {
    model: req.model,
    system: req.system ? [{ text: req.system }] : [],
    messages: [{ role: 'user', parts: [{ kind: 'text', text: req.text }] }],
    tools: [],
    stream: req.stream ?? false,
    extensions: {},
  };
}
