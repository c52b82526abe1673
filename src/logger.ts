import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

/**
 * Header names that always carry secrets, and a name-segment pattern that catches new
 * ones (x-foo-token): redaction fails closed.
 */
const SECRET_SEGMENT = /(^|[-_])(authorization|token|secret|key|auth|cookie|password)([-_]|$)/i;

export function isSecretName(name: string): boolean {
  return SECRET_SEGMENT.test(name);
}

/** Headers safe to log: every secret-looking value replaced. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretName(k) ? '[redacted]' : v;
  return out;
}

/** Headers that carry a credential in any dialect, the admin API or a browser. */
const SECRET_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'x-admin-key', 'cookie', 'set-cookie', 'proxy-authorization'];

/** Body fields of the admin API that carry a key (POST /admin/api/keys {key}). */
const SECRET_BODY_FIELDS = ['key', 'keys'];

/** Every place a logged object may hold those: a request, a reply, bare headers, a body. */
export const REDACT_PATHS = [
  ...SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`, `*.headers["${h}"]`]),
  ...SECRET_BODY_FIELDS.flatMap((f) => [`req.body.${f}`, `body.${f}`]),
  '*.authorization',
];

/**
 * Errors without the raw bytes Node attaches to a malformed request (`rawPacket`, logged
 * by Fastify at trace as "client error"): they hold the request's headers, credentials
 * included. Only their length is kept.
 */
function errWithoutRawBytes(err: Error): object {
  const out: Record<string, unknown> = { ...stdSerializers.err(err) };
  const raw: unknown = out.rawPacket;
  if (raw !== undefined) out.rawPacket = { bytes: Buffer.isBuffer(raw) ? raw.length : undefined };
  return out;
}

/** A URL with every query parameter's value replaced: `?key=` is how Gemini clients send their key. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url.slice(q + 1).split('&').map((p) => {
    const eq = p.indexOf('=');
    return eq === -1 ? p : `${p.slice(0, eq)}=[redacted]`;
  });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * A request as it may be logged (Fastify's request logging, when on): method, path with the
 * query values redacted, the route; never headers or body.
 */
function requestSummary(req: { method?: string; url?: string; routeOptions?: { url?: string } }): object {
  return { method: req.method, url: req.url === undefined ? undefined : redactQuery(req.url), route: req.routeOptions?.url };
}

/** PIPE_BUF on Linux: a pipe takes a write up to this size whole, never interleaved with another writer's. */
const ATOMIC_WRITE_BYTES = 4096;

/** The longest a logged line waits in the batch before it is written. */
const FLUSH_MS = 200;

/**
 * Standard output for log lines, written in batches: a system call for every line would be
 * the costliest part of a request's one log line (docs/PERFORMANCE.md). A batch is whole
 * lines of at most PIPE_BUF bytes, so the lines of WORKERS processes sharing one pipe never
 * interleave; a line waits at most FLUSH_MS, and a fatal line (pino calls `flushSync`) or the
 * process's exit writes the batch. The lines are joined here and handed to sonic-boom, which
 * does the synchronous write (partial writes, EAGAIN on a full pipe), one write per batch.
 * Make one per process and give it to every logger, so their lines stay in order.
 */
export function bufferedStdout(): DestinationStream & { flushSync(): void } {
  const out = pino.destination({ dest: 1, sync: true });
  let lines: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flushSync = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (lines.length === 0) return;
    const batch = lines.join('');
    lines = [];
    bytes = 0;
    out.write(batch);
  };
  process.once('exit', () => {
    try {
      flushSync();
      out.flushSync();
    } catch {
      // Standard output is gone (a closed pipe): there is nowhere left to write.
    }
  });
  return {
    write(line: string) {
      const size = Buffer.byteLength(line);
      if (bytes + size > ATOMIC_WRITE_BYTES) flushSync();
      lines.push(line);
      bytes += size;
      if (bytes >= (ATOMIC_WRITE_BYTES * 3) / 4) flushSync();
      else timer ??= setTimeout(flushSync, FLUSH_MS).unref();
    },
    flushSync,
  };
}

export function createLogger(level: string, pretty: boolean, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: errWithoutRawBytes, req: requestSummary },
  };
  if (destination) return pino(options, destination);
  return pino({ ...options, ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}) });
}
