import { emptyKeyRecord, type KeyRecord, type KeyRecordDraft, type KeyStatus } from './store.js';

/** A key's status fields, as a status change and its pub/sub hint carry them. */
export type StatusFields = Pick<KeyRecord, 'fingerprint' | 'status' | 'coolingUntil' | 'reason' | 'changedAt'>;

/** How a key's record is kept in Redis: one hash per key, counters as numbers, statuses written only if newer. */
export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'cooling', 'disabled', 'retired'];
export const COUNTERS = ['success', 'failure', 'tokensIn', 'tokensOut', 'tokensCached'] as const;
/** Hash field of one `byStatus` counter. */
export const BY_STATUS = 's:';

/**
 * Writes a status only if it is at least as new as the one stored (several replicas may
 * change the same key), and tells the other replicas when it did.
 * KEYS[1] key hash; ARGV: changedAt (-1 when none), status, coolingUntil, reason, channel, message.
 */
export const STATUS_IF_NEWER = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'changedAt') or '-1')
if tonumber(ARGV[1]) < stored then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'changedAt', ARGV[1])
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'coolingUntil') else redis.call('HSET', KEYS[1], 'coolingUntil', ARGV[3]) end
if ARGV[4] == '' then redis.call('HDEL', KEYS[1], 'reason') else redis.call('HSET', KEYS[1], 'reason', ARGV[4]) end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`;

/** KEYS[1] key hash; ARGV[1] lastUsed: kept only if later than the stored one. */
export const LAST_USED_IF_LATER = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'lastUsed') or '-1')
if tonumber(ARGV[1]) > stored then redis.call('HSET', KEYS[1], 'lastUsed', ARGV[1]) end
return 0
`;

export function statusOf(r: KeyRecord): StatusFields {
  return { fingerprint: r.fingerprint, status: r.status, coolingUntil: r.coolingUntil, reason: r.reason, changedAt: r.changedAt };
}

export function statusChanged(a: KeyRecord, b: KeyRecord): boolean {
  return a.status !== b.status || a.coolingUntil !== b.coolingUntil || a.reason !== b.reason || a.changedAt !== b.changedAt;
}

/** `stored` plus what this replica has counted since `base`, with this replica's latest status fields. */
export function withDifference(stored: KeyRecord, latest: KeyRecord, base: KeyRecord | undefined): KeyRecord {
  const from = base ?? emptyKeyRecord(latest.fingerprint);
  const out: KeyRecordDraft = { ...latest, byStatus: { ...stored.byStatus } };
  for (const field of COUNTERS) out[field] = stored[field] + latest[field] - from[field];
  for (const [code, n] of Object.entries(latest.byStatus)) out.byStatus[code] = (out.byStatus[code] ?? 0) + n - (from.byStatus[code] ?? 0);
  if (!statusChanged(from, latest)) Object.assign(out, statusOf(stored));
  return out;
}

/** A key hash → its record (counters absent from the hash are 0). */
export function recordOf(fingerprint: string, fields: Record<string, string>): KeyRecord {
  const record = emptyKeyRecord(fingerprint);
  const num = (name: string) => (fields[name] === undefined ? undefined : Number(fields[name]));
  for (const field of COUNTERS) record[field] = num(field) ?? 0;
  for (const [name, value] of Object.entries(fields)) if (name.startsWith(BY_STATUS)) record.byStatus[name.slice(BY_STATUS.length)] = Number(value);
  const status = fields.status as KeyStatus | undefined;
  if (status !== undefined && KEY_STATUSES.includes(status)) record.status = status;
  const changedAt = num('changedAt');
  if (changedAt !== undefined && changedAt >= 0) record.changedAt = changedAt;
  const coolingUntil = num('coolingUntil');
  if (coolingUntil !== undefined) record.coolingUntil = coolingUntil;
  if (fields.reason !== undefined) record.reason = fields.reason;
  const lastUsed = num('lastUsed');
  if (lastUsed !== undefined) record.lastUsed = lastUsed;
  if (fields.lastError !== undefined) record.lastError = fields.lastError;
  return record;
}

