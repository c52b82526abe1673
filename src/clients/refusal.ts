import { GatewayError } from '../errors.js';
import type { LimitName } from './client-record.js';

/** A request refused by one of its client's limits. */
export interface Refusal {
  limit: LimitName;
  value: number;
  /** Milliseconds until the limit may admit a request again. */
  retryAfterMs: number;
}

const WHAT: Record<LimitName, string> = {
  rpm: 'requests per minute',
  tpm: 'tokens per minute',
  tokens_per_day: 'tokens per day (UTC)',
  tokens_per_month: 'tokens per month (UTC)',
  concurrency: 'requests in flight',
};

/** 429 in the client's dialect (the error handler renders it), naming the limit and its value. */
export function refusalError(clientName: string, r: Refusal): GatewayError {
  const retryAfter = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
  return new GatewayError('rate_limited', `Client '${clientName}' is over its limit ${r.limit} = ${r.value} (${WHAT[r.limit]}); retry in ${retryAfter} s`, {
    retryAfter,
    detail: `client_${r.limit}_exceeded`,
  });
}

export function modelNotAllowed(clientName: string, model: string): GatewayError {
  return new GatewayError('permission', `Client '${clientName}' may not use the model '${model}'`, { param: 'model', detail: 'model_not_allowed' });
}
