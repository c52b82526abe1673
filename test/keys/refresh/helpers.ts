import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../src/runtime/clock.js';
import type { RefreshLog } from '../../../src/keys/refresh/refresh-source.js';

/** A clock that only moves when the test says so; sleeps resolve when advance() passes their deadline. */
export class FakeClock implements Clock {
  #now: number;
  readonly #sleepers = new Set<{ at: number; wake: () => void }>();

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
      const sleeper = {
        at: this.#now + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers.delete(sleeper);
        reject(new DOMException('aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
    });
  }

  /** Deadlines of the sleeps in progress, relative to now. */
  pendingSleeps(): number[] {
    return [...this.#sleepers].map((s) => s.at - this.#now).sort((a, b) => a - b);
  }

  advance(ms: number): void {
    this.#now += ms;
    for (const sleeper of [...this.#sleepers]) {
      if (sleeper.at <= this.#now) {
        this.#sleepers.delete(sleeper);
        sleeper.wake();
      }
    }
  }
}

export interface WorkosCall {
  contentType: string | undefined;
  form: Record<string, string>;
}

/**
 * A fake WorkOS authenticate endpoint: refresh tokens are single-use, the k-th successful call
 * issues access token `at-k` and refresh token `rt-k`.
 */
export class FakeWorkos {
  readonly calls: WorkosCall[] = [];
  readonly #valid: Set<string>;
  readonly #server: Server;
  #issued = 0;
  /** The next n calls answer 500. */
  failures = 0;
  /** While set, answers wait for it. */
  gate: Promise<void> | undefined;
  url = '';

  /** `tokenPrefix` makes the issued tokens long and unique, for tests that search for them. */
  constructor(
    validRefreshTokens: string[],
    private readonly tokenPrefix = '',
  ) {
    this.#valid = new Set(validRefreshTokens);
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        void this.#answer(req.headers['content-type'], body).then(({ status, json }) => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        });
      });
    });
  }

  async #answer(contentType: string | undefined, body: string): Promise<{ status: number; json: unknown }> {
    const form = Object.fromEntries(new URLSearchParams(body));
    this.calls.push({ contentType, form });
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures -= 1;
      return { status: 500, json: { error: 'server_error', error_description: `cannot use ${form.refresh_token}` } };
    }
    const token = form.refresh_token ?? '';
    if (!this.#valid.delete(token)) {
      return { status: 400, json: { error: 'invalid_grant', error_description: `refresh token ${token} already used` } };
    }
    this.#issued += 1;
    const refresh = `${this.tokenPrefix}rt-${this.#issued}`;
    this.#valid.add(refresh);
    return {
      status: 200,
      json: {
        access_token: `${this.tokenPrefix}at-${this.#issued}`,
        refresh_token: refresh,
        user: { id: 'user_1', email: 'someone@example.com', first_name: 'Some', last_name: 'One' },
        organization_id: 'org_1',
      },
    };
  }

  /** Holds every answer until the returned function is called. */
  hold(): () => void {
    let release = (): void => undefined;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/user_management/authenticate`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

export function captureLog(): { log: RefreshLog; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: Record<string, unknown>, msg: string): void => {
      lines.push({ level, msg, fields });
    };
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Every token the fake server could have issued or accepted, for "never logged" checks. */
export const TOKEN_PATTERN = /\b(?:rt|at)-\d+\b|env-token-[a-z0-9]+/;

export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
