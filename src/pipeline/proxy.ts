import type { WireObject } from '../dialects/dialect.js';
import type { WriteContext } from '../dialects/ir.js';
import type { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import { attempt } from './attempt.js';
import { prepare, type Prepared, type ProxyInput } from './prepare.js';
import { callIdentity } from './upstream-request.js';
import { requestedModel, resolveModel } from './models.js';
import { failoverReason, recordingLease, type AttemptRecord } from '../observability/request-record.js';

export type { ProxyInput };

/**
 * What the route writes back: an SSE stream already in the client's dialect (upstream
 * bytes piped as they are, or converted text, one chunk per upstream read), the
 * upstream's JSON bytes as they are, or converted JSON.
 */
export type ProxyResult =
  | { kind: 'sse'; chunks: AsyncIterable<string | Uint8Array> }
  | { kind: 'json-bytes'; status: number; body: Buffer }
  | { kind: 'json'; status: number; body: WireObject };

const DEFINITE_KEY_FAILURES: ReadonlySet<number> = new Set([401, 402, 403, 429]);

function writeContext(services: Services, input: ProxyInput, prep: Prepared): WriteContext {
  return {
    id: services.ids.next(input.client.profile.responseIdPrefix),
    model: prep.model.requested,
    created: Math.floor(services.clock.now() / 1000),
    includeUsage: prep.ir?.includeUsage ?? false,
    newId: (prefix) => services.ids.next(prefix),
    tools: prep.ir?.tools ?? [],
    ...(prep.inputTokensEstimate !== undefined && { inputTokensEstimate: prep.inputTokensEstimate }),
  };
}

/**
 * The whole request: prepare once, then attempt with credentials until one answers.
 * A failure that belongs to the key (402, 401, 429, 5xx, cut before the answer began)
 * fails over to another key within the upstream deadline: every key refused outright is
 * skipped, and at most `max_attempts` ambiguous failures are retried. The client sees the
 * first success, or the last failure.
 */
export async function proxy(services: Services, input: ProxyInput): Promise<ProxyResult & { attempts: number }> {
  const { record } = input;
  let prep: Prepared;
  try {
    prep = prepare(services, input);
  } catch (err) {
    // A refused request still counts against its model when that is a configured one.
    if (record) {
      const requested = requestedModel(input.body, input.model);
      record.model = requested === undefined ? undefined : configuredModel(services, requested);
      if (record.model === undefined && requested !== undefined) record.unknownModel = requested.slice(0, UNKNOWN_MODEL_SHOWN);
    }
    throw err;
  }
  if (record) {
    record.model = prep.model.config.id;
    record.endpoint = prep.model.config.type;
    record.stream = prep.clientStream;
  }
  const identity = callIdentity(services, input.headers, prep.ir?.extensions.promptCacheKey ?? prep.body.prompt_cache_key);
  // Ids and context for writing a converted answer, made once per request (every attempt
  // answers with the same id) and only when needed: a pass-through answer never is.
  let ctx: WriteContext | undefined;
  const context = () => (ctx ??= writeContext(services, input, prep));
  const { max_attempts: maxAttempts, upstream_timeout_ms: budget } = services.settings.config;
  const deadline = services.clock.now() + budget;
  const tried = new Set<string>();
  let last: GatewayError | undefined;
  let spent = 0;

  for (let n = 1; ; n++) {
    let lease;
    try {
      lease = await services.credentials.acquire({
        clientAuthorization: firstHeader(input.headers.authorization),
        clientApiKey: firstHeader(input.headers['x-api-key']) ?? firstHeader(input.headers['x-goog-api-key']),
        sessionId: identity.clientSession,
        exclude: tried,
      });
    } catch (err) {
      // Out of keys after a failed attempt: the client hears about that failure, not the pool.
      if (last) throw last;
      throw err;
    }
    const repeat = tried.has(lease.fingerprint);
    tried.add(lease.fingerprint);
    const startedAt = services.clock.now();
    if (record?.trace) record.upstreamTraceHeaders = record.trace.attempt(prep.model.config.type, lease.fingerprint, prep.model.config.id);
    const result = await attempt(services, input, prep, record ? recordingLease(lease, record) : lease, identity, context);
    const endedAt = services.clock.now();
    if ('ok' in result) {
      if (record) {
        record.key = lease.fingerprint;
        const answered = { endpoint: prep.model.config.type, key: lease.fingerprint, status: 200, startedAt, answeredAt: endedAt, endedAt };
        record.attempts.push(answered);
        record.trace?.attemptEnded(answered);
      }
      return { ...result.ok, attempts: n };
    }
    last = result.failed;
    if (record) {
      const failed: AttemptRecord = {
        endpoint: prep.model.config.type,
        key: lease.fingerprint,
        status: last.status,
        startedAt,
        endedAt,
        ...(result.failover ? { failover: failoverReason(last.status, last.code) } : {}),
      };
      record.attempts.push(failed);
      record.trace?.attemptEnded(failed);
    }
    // A key refused outright (402, 401, 403, 429) is out of rotation now and was not billed:
    // trying the next one is free. Only ambiguous failures (5xx, no answer) spend attempts.
    if (repeat || !DEFINITE_KEY_FAILURES.has(last.status)) spent += 1;
    services.log.info(
      { attempt: n, key: lease.fingerprint, status: last.status, code: last.code, failover: result.failover, model: prep.model.config.id },
      'upstream attempt failed',
    );
    if (!result.failover || spent >= maxAttempts || input.signal.aborted || services.clock.now() >= deadline) break;
  }
  throw last!;
}

/** An unknown model is the client's text: the log line shows no more of it than this. */
const UNKNOWN_MODEL_SHOWN = 100;

function configuredModel(services: Services, requested: string): string | undefined {
  try {
    return resolveModel(services.settings.config, requested).config.id;
  } catch {
    return undefined;
  }
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
