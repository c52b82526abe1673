/**
 * The client-limit scripts Redis runs atomically, so replicas share one count (no
 * per-replica allowance). Keys of a client: a hash of per-second counts (`r:<sec>`
 * requests, `t:<sec>` tokens) for the rolling minute, one hash per UTC day and per month
 * (`r`, `t`, `last`), and a sorted set of requests in flight scored by when their lease
 * ends (a replica that dies mid-request gives its slots back when the lease runs out).
 * KEYS: second counts, day, month, in flight.
 */

/** The rolling-minute sums and the stale fields to drop; shared by both scripts. */
const WINDOW = `
local now = tonumber(ARGV[1])
local sec = math.floor(now / 1000)
local fields = redis.call('HGETALL', KEYS[1])
local reqs, toks, oldestR, oldestT = 0, 0, nil, nil
local stale = {}
for i = 1, #fields, 2 do
  local f = fields[i]
  local s = tonumber(string.sub(f, 3))
  local v = tonumber(fields[i + 1])
  if s <= sec - 60 then
    stale[#stale + 1] = f
  elseif string.sub(f, 1, 1) == 'r' then
    reqs = reqs + v
    if v > 0 and (oldestR == nil or s < oldestR) then oldestR = s end
  else
    toks = toks + v
    if v > 0 and (oldestT == nil or s < oldestT) then oldestT = s end
  end
end
if #stale > 0 then redis.call('HDEL', KEYS[1], unpack(stale)) end
`;

/**
 * ARGV: now, member, lease ms, rpm, tpm, tokens_per_day, tokens_per_month, concurrency (-1:
 * none), next UTC day, next UTC month. Returns nil (admitted) or {limit, value, retry ms}.
 */
export const ADMIT = `${WINDOW}
local rpm, tpm, tpd, tpmo, conc = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
if conc >= 0 and redis.call('ZCARD', KEYS[4]) >= conc then return {'concurrency', conc, 1000} end
if rpm >= 0 and reqs >= rpm then return {'rpm', rpm, (oldestR + 60) * 1000 - now} end
if tpm >= 0 and toks >= tpm then return {'tpm', tpm, (oldestT + 60) * 1000 - now} end
if tpd >= 0 and tonumber(redis.call('HGET', KEYS[2], 't') or '0') >= tpd then return {'tokens_per_day', tpd, tonumber(ARGV[9]) - now} end
if tpmo >= 0 and tonumber(redis.call('HGET', KEYS[3], 't') or '0') >= tpmo then return {'tokens_per_month', tpmo, tonumber(ARGV[10]) - now} end
redis.call('HINCRBY', KEYS[1], 'r:' .. sec, 1)
redis.call('EXPIRE', KEYS[1], 120)
redis.call('HINCRBY', KEYS[2], 'r', 1)
redis.call('HSET', KEYS[2], 'last', now)
redis.call('EXPIRE', KEYS[2], 3 * 86400)
redis.call('HINCRBY', KEYS[3], 'r', 1)
redis.call('HSET', KEYS[3], 'last', now)
redis.call('EXPIRE', KEYS[3], 40 * 86400)
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[3]))
return nil
`;

/** ARGV: now, member, tokens. An admitted request ended. */
export const FINISH = `
local now = tonumber(ARGV[1])
local sec = math.floor(now / 1000)
local tokens = tonumber(ARGV[3])
if tokens > 0 then
  redis.call('HINCRBY', KEYS[1], 't:' .. sec, tokens)
  redis.call('EXPIRE', KEYS[1], 120)
  redis.call('HINCRBY', KEYS[2], 't', tokens)
  redis.call('EXPIRE', KEYS[2], 3 * 86400)
  redis.call('HINCRBY', KEYS[3], 't', tokens)
  redis.call('EXPIRE', KEYS[3], 40 * 86400)
end
redis.call('HSET', KEYS[3], 'last', now)
redis.call('ZREM', KEYS[4], ARGV[2])
return nil
`;

/** ARGV: now. {requests, tokens in the minute, day requests, day tokens, month requests, month tokens, in flight, last}. */
export const USAGE = `${WINDOW}
local day = redis.call('HMGET', KEYS[2], 'r', 't')
local month = redis.call('HMGET', KEYS[3], 'r', 't', 'last')
return {reqs, toks, tonumber(day[1] or '0'), tonumber(day[2] or '0'), tonumber(month[1] or '0'), tonumber(month[2] or '0'), redis.call('ZCOUNT', KEYS[4], now, '+inf'), tonumber(month[3] or '-1')}
`;
