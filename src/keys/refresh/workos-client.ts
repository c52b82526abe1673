import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { GatewayError } from '../../errors.js';

/** The WorkOS endpoint the Droid CLI (and droid2api v1) refreshes against. */
export const DEFAULT_REFRESH_URL = 'https://api.workos.com/user_management/authenticate';
/** Factory's public WorkOS client id; fixed, the same one the Droid CLI sends. */
export const FACTORY_WORKOS_CLIENT_ID = 'client_01HNM792M5G5G1A2THWPXKFMXB';

const TIMEOUT_MS = 30_000;

/**
 * https://workos.com/docs/reference/user-management/authentication/refresh-token
 * Only the two tokens matter; `user` and `organization_id` are personal or irrelevant here
 * and are deliberately not parsed (nor logged).
 */
const WorkosAuthenticateResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});

const WorkosErrorBody = z.looseObject({ error: z.string().regex(/^[a-z_]{1,64}$/) });

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface WorkosClientOptions {
  url: string;
  dispatcher?: Dispatcher;
}

/** One HTTP call: exchanges a refresh token for a new (access, rotated refresh) pair. */
export class WorkosClient {
  constructor(private readonly options: WorkosClientOptions) {}

  /** Throws a GatewayError whose message never contains a token or the answer's body. */
  async exchange(refreshToken: string, signal?: AbortSignal): Promise<TokenPair> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: FACTORY_WORKOS_CLIENT_ID,
    }).toString();
    const res = await this.#post(body, signal);
    const text = await res.body.text().catch(() => '');
    if (res.statusCode < 200 || res.statusCode >= 300) throw refreshRefused(res.statusCode, text);
    const parsed = WorkosAuthenticateResponse.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new GatewayError('upstream_error', 'WorkOS refresh answer lacks access_token or refresh_token');
    }
    return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token };
  }

  async #post(body: string, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData> {
    try {
      return await request(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal,
        dispatcher: this.options.dispatcher,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
    } catch (err) {
      throw new GatewayError('upstream_unavailable', `WorkOS refresh call failed (${errorCode(err)})`, { cause: err });
    }
  }
}

/** A non-2xx answer: only WorkOS's short error code (e.g. invalid_grant) goes into the message. */
function refreshRefused(status: number, text: string): GatewayError {
  const parsed = WorkosErrorBody.safeParse(parseJson(text));
  const reason = parsed.success ? ` ${parsed.data.error}` : '';
  const code = status === 400 || status === 401 ? 'authentication' : 'upstream_unavailable';
  return new GatewayError(code, `WorkOS refresh answered ${status}${reason}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.name : 'unknown error';
}
