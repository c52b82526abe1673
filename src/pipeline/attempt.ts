import { collect } from '../dialects/collect.js';
import type { IrErrorInfo, IrUsage, WriteContext } from '../dialects/ir.js';
import { GatewayError } from '../errors.js';
import type { CredentialLease } from '../keys/credential.js';
import type { Services } from '../services.js';
import { upstreamTransportError } from '../upstream/client.js';
import { knownSecrets } from '../keys/known-secrets.js';
import { maskSecrets } from '../keys/mask-secrets.js';
import { upstreamHttpError } from '../upstream/upstream-error.js';
import { convertStream, encode, writerTail } from './client-stream.js';
import { watchPassthrough } from './passthrough-watch.js';
import { usageOnlyTest } from './policies/stream-usage.js';
import { UpstreamReader, upstreamEvents } from './upstream-events.js';
import type { Prepared, ProxyInput } from './prepare.js';
import type { StreamOutcome } from '../observability/request-record.js';
import type { ProxyResult } from './proxy.js';
import { guardAnswer } from './stream-guard.js';
import { upstreamHeaders, type CallIdentity } from './upstream-request.js';

/** One attempt's end: an answer for the client, or a failure that may fail over. */
export type AttemptResult = { ok: ProxyResult } | { failed: GatewayError; failover: boolean };

function usageReport(u: IrUsage) {
  return { inputTokens: u.inputTokens ?? 0, outputTokens: u.outputTokens ?? 0, cachedInputTokens: u.cachedInputTokens ?? 0 };
}

/** An in-band upstream error's message is the upstream's text: masked like an HTTP error's. */
function fail(lease: CredentialLease, error: IrErrorInfo | GatewayError, services: Services): AttemptResult {
  const err = error instanceof GatewayError
    ? error
    : new GatewayError(error.code, maskSecrets(error.message, knownSecrets(services.settings.env, services.keys)), { status: error.status });
  const verdict = lease.report({ status: err.status, retryAfter: err.retryAfter, message: err.message });
  return { failed: err, failover: verdict.failover };
}

/**
 * A call that got no HTTP answer is status 0 for the key; a client that went away (499)
 * costs the key nothing (classified as no fault of the key).
 */
function failTransport(lease: CredentialLease, cause: unknown): AttemptResult {
  const err = upstreamTransportError(cause);
  const status = err.status === 499 ? 499 : 0;
  const verdict = lease.report({ status, message: err.message });
  return { failed: err, failover: verdict.failover };
}

/**
 * One upstream call with one credential. Nothing reaches the client until the answer has
 * begun, so every failure up to that point can be retried on another key.
 */
export async function attempt(
  services: Services,
  input: ProxyInput,
  prep: Prepared,
  lease: CredentialLease,
  identity: CallIdentity,
  context: () => WriteContext,
): Promise<AttemptResult> {
  let res;
  const stream = prep.body.stream === true;
  try {
    res = await services.upstream.send({
      url: prep.model.endpointUrl,
      headers: withTraceContext(upstreamHeaders(services, prep.model, input.headers, identity, lease.authorization, stream), input.record?.upstreamTraceHeaders),
      body: prep.json,
      signal: input.signal,
      // Factory's Gemini endpoint streams every answer, so its first byte is due early too.
      stream: stream || prep.upstream.profile.upstream.alwaysStreams,
    });
  } catch (err) {
    return failTransport(lease, err);
  }
  if (res.status >= 400) {
    const text = await res.body.text().catch(() => '');
    return fail(lease, upstreamHttpError(res.status, res.headers, text, services.clock.now(), knownSecrets(services.settings.env, services.keys)), services);
  }

  const isSse = String(res.headers['content-type'] ?? '').includes('text/event-stream');
  const { client } = input;
  const { upstream } = prep;
  try {
    if (prep.passThrough && isSse && prep.clientStream) {
      const hide = prep.hideUsageChunk ? usageOnlyTest(prep.model.upstream) : undefined;
      const onError = input.record ? () => (input.record!.streamOutcome ??= 'upstream_error') : undefined;
      const watched = await watchPassthrough(res.body, upstream.createStreamParser(), (u) => lease.usage(usageReport(u)), hide, onError);
      if (watched.kind === 'error') return fail(lease, watched.error, services);
      lease.report({ status: res.status });
      return { ok: { kind: 'sse', chunks: watched.chunks } };
    }
    if (prep.passThrough && !isSse && !prep.clientStream) {
      // A 2xx JSON answer is forwarded as it came; only its usage is read, for the key's counters.
      const bytes = await res.body.bytes();
      lease.report({ status: res.status, usage: usageReport(upstream.responseUsage(JSON.parse(bytes.toString('utf8')))) });
      return { ok: { kind: 'json-bytes', status: res.status, body: bytes } };
    }

    const reportUsage = (u: IrUsage) => lease.usage(usageReport(u));
    if (prep.clientStream && isSse) {
      const onBroken = input.record ? (how: StreamOutcome) => (input.record!.streamOutcome ??= how) : undefined;
      const converted = await convertStream(res.body, new UpstreamReader(upstream.createStreamParser()), client.createStreamWriter(context()), reportUsage, onBroken);
      if ('error' in converted) return fail(lease, converted.error, services);
      lease.report({ status: res.status });
      return { ok: { kind: 'sse', chunks: converted.chunks } };
    }
    const all = isSse
      ? (await toArray(upstreamEvents(res.body, upstream.createStreamParser(), reportUsage))).flat()
      : guardAnswer(upstream.parseResponse(await res.body.json()));
    const error = all.find((e) => e.kind === 'error');
    if (error?.kind === 'error') return fail(lease, error.error, services);
    const whole = collect(all);
    // Streamed upstream answers reported their usage as they ended; a whole one, with its outcome.
    lease.report({ status: res.status, ...(isSse ? {} : { usage: usageReport(whole.usage) }) });
    if (prep.clientStream) {
      // A whole JSON answer to a client that asked for a stream: the stream in one write.
      const writer = client.createStreamWriter(context());
      return { ok: { kind: 'sse', chunks: once(encode(writer, all) + writerTail(writer)) } };
    }
    return { ok: { kind: 'json', status: 200, body: client.writeResponse(whole, context()) } };
  } catch (err) {
    return err instanceof GatewayError ? fail(lease, err, services) : failTransport(lease, err);
  }
}

function withTraceContext(headers: Record<string, string>, trace: Record<string, string> | undefined): Record<string, string> {
  return trace === undefined ? headers : Object.assign(headers, trace);
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
