import { pino, type Logger } from 'pino';

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

export function createLogger(level: string, pretty: boolean): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'headers.authorization', 'headers["x-api-key"]', '*.authorization'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
