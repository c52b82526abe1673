import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { GatewayError } from '../../../src/errors.js';

function errorOf(body: unknown): GatewayError {
  try {
    anthropicDialect.parseRequest(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected parseRequest to throw');
}

describe('anthropic parseRequest on bad input', () => {
  it('rejects a body without model, naming the field', () => {
    const err = errorOf({ messages: [] });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('model');
  });

  it('rejects a body without messages, naming the field', () => {
    const err = errorOf({ model: 'm' });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('messages');
  });

  it('rejects a wrongly typed block field with its full path', () => {
    const err = errorOf({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'ok' }, { type: 'text', text: 5 }] }] });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('messages.0.content.1.text');
  });

  it('rejects an unknown role and a non-object body', () => {
    expect(errorOf({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }).param).toBe('messages.0.role');
    expect(errorOf('not json').code).toBe('invalid_request');
    expect(errorOf(null).code).toBe('invalid_request');
  });

  it('rejects tool_choice "tool" without a name', () => {
    const err = errorOf({ model: 'm', messages: [], tool_choice: { type: 'tool' } });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('tool_choice.name');
  });

  it('rejects a custom tool without a name', () => {
    expect(errorOf({ model: 'm', messages: [], tools: [{ input_schema: {} }] }).param).toBe('tools.0.name');
  });
});
