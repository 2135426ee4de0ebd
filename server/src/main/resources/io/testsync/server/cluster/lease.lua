-- Node leases of a TestSync cluster (SPEC §11). KEYS[1] is the sorted set of nodes by lease expiry
-- (Redis ms), the only key: on Redis Cluster the script stays in that key's slot. ARGV[1] names the
-- operation, ARGV[2] the node.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op, node = ARGV[1], ARGV[2]

if op == 'renew' then
  -- lease ms, first ("1" when the node registers). A node that is no longer listed was declared dead
  -- and its connections were removed: it must not act for them any more.
  if ARGV[4] ~= '1' and redis.call('ZSCORE', KEYS[1], node) == false then return { 'lost' } end
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), node)
  local out = { 'ok' }
  for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now))) do
    out[#out + 1] = dead
  end
  return out
end

if op == 'bury' then
  -- Forgotten only while still expired (the caller has found its set of runs empty just before).
  local expiry = redis.call('ZSCORE', KEYS[1], node)
  if expiry == false or tonumber(expiry) >= now then return 0 end
  redis.call('ZREM', KEYS[1], node)
  return 1
end

if op == 'leave' then
  -- a node stopping cleanly: its connections are already gone
  return redis.call('ZREM', KEYS[1], node)
end

return redis.error_reply('unknown lease operation ' .. tostring(op))
