/** Keys in /status.json when the request names no `limit`: a page of 10,000 keys would be megabytes. */
export const DEFAULT_STATUS_KEYS = 500;

export interface KeysPage {
  offset: number;
  limit: number;
  /** Keys in the pool, all pages together. */
  total: number;
}

function wholeNumber(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
}

/** `?offset=&limit=` of /status.json; anything that is not a whole number keeps the default. */
export function keysPageOf(query: unknown, total: number): KeysPage {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  return { offset: wholeNumber(q.offset, 0, total), limit: wholeNumber(q.limit, DEFAULT_STATUS_KEYS, 100_000), total };
}
