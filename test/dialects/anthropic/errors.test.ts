import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { GatewayError } from '../../../src/errors.js';
import { payloads } from './helpers.js';

describe('anthropic errors', () => {
  it('renders a GatewayError as an Anthropic error body with its status', () => {
    expect(anthropicDialect.errorBody(new GatewayError('invalid_request', 'messages: required', { param: 'messages' }))).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: required' } },
    });
  });

  it('names each code with the documented error type', () => {
    const typeOf = (code: ConstructorParameters<typeof GatewayError>[0]) =>
      (anthropicDialect.errorBody(new GatewayError(code, 'x')).body.error as { type: string }).type;
    expect(typeOf('authentication')).toBe('authentication_error');
    expect(typeOf('permission')).toBe('permission_error');
    expect(typeOf('not_found')).toBe('not_found_error');
    expect(typeOf('request_too_large')).toBe('request_too_large');
    expect(typeOf('rate_limited')).toBe('rate_limit_error');
    expect(typeOf('quota_exhausted')).toBe('billing_error');
    expect(typeOf('overloaded')).toBe('overloaded_error');
    expect(typeOf('upstream_timeout')).toBe('timeout_error');
    expect(typeOf('upstream_error')).toBe('api_error');
    expect(typeOf('internal')).toBe('api_error');
  });

  it('keeps an upstream status that differs from the code default', () => {
    expect(anthropicDialect.errorBody(new GatewayError('overloaded', 'busy', { status: 503 })).status).toBe(503);
  });

  it('writes an in-band error as one `error` event', () => {
    const events = anthropicDialect.streamError({ code: 'rate_limited', message: 'slow down', status: 429 });
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(payloads(events)).toEqual([{ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }]);
  });
});
