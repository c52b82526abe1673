import { createServer, type Server } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracesEndpoint } from '../../src/observability/tracing.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * OpenTelemetry traces to a small OTLP/HTTP (JSON) receiver on loopback: one server span per
 * request, a client span per upstream attempt with the gen_ai attributes, the client's
 * traceparent honoured and the attempt's passed upstream.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  status?: { code?: number };
}

const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const PAID = 'k-quota-402-tracing';
const GOOD = 'k-good-tracing-11111';

let receiver: Server;
const spans: OtlpSpan[] = [];
let h: Harness;

function attr(span: OtlpSpan, key: string): string | number | undefined {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const doc = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  h = await startHarness({ env: { FACTORY_API_KEY: `${PAID};${GOOD}`, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, overrides: { random: () => 0 } });
  h.fake.setKeyBehaviour(PAID, { status: 402, errorMessage: 'insufficient balance' });
  h.fake.setScenario({ text: 'traced', usage: { input: 9, output: 4 } });
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0, defaultHeaders: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` } });
  await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
  // Closing flushes the exporter.
  await h.close();
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

describe('tracing', () => {
  it('is off without an OTLP endpoint and follows the standard variables', () => {
    expect(tracesEndpoint({})).toBeUndefined();
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe('http://c:4318/v1/traces');
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/t' })).toBe('http://c:4318/t');
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('makes the request a child of the client\'s span', () => {
    const server = spans.find((s) => s.name === 'POST /v1/messages');
    expect(server).toBeDefined();
    expect(server!.traceId).toBe(CLIENT_TRACE);
    expect(server!.parentSpanId).toBe(CLIENT_SPAN);
    expect(attr(server!, 'http.response.status_code')).toBe(200);
    expect(attr(server!, 'gen_ai.usage.output_tokens')).toBe(4);
  });

  it('has one child span per upstream attempt, the failed one marked', () => {
    const server = spans.find((s) => s.name === 'POST /v1/messages')!;
    const attempts = spans.filter((s) => s.parentSpanId === server.spanId);
    expect(attempts).toHaveLength(2);
    for (const a of attempts) {
      expect(a.name).toBe('chat claude-sonnet-4-6');
      expect(attr(a, 'gen_ai.request.model')).toBe('claude-sonnet-4-6');
      expect(attr(a, 'gen_ai.provider.name')).toBe('anthropic');
      expect(String(attr(a, 'droid2api.key.fingerprint'))).toMatch(/^[0-9a-f]{8}$/);
    }
    const failed = attempts.find((a) => attr(a, 'http.response.status_code') === 402)!;
    expect(attr(failed, 'error.type')).toBe('payment_required');
    expect(failed.status?.code).toBe(2);
    const answered = attempts.find((a) => attr(a, 'http.response.status_code') === 200)!;
    expect(attr(answered, 'gen_ai.usage.input_tokens')).toBe(9);
  });

  it('passes each attempt\'s trace context upstream', () => {
    const server = spans.find((s) => s.name === 'POST /v1/messages')!;
    const attemptIds = new Set(spans.filter((s) => s.parentSpanId === server.spanId).map((s) => s.spanId));
    const sent = h.fake.requests.map((r) => String(r.headers.traceparent));
    expect(sent).toHaveLength(2);
    for (const tp of sent) {
      const [, trace, span] = tp.split('-');
      expect(trace).toBe(CLIENT_TRACE);
      expect(attemptIds.has(span!)).toBe(true);
    }
  });
});
