-- TestSync cluster coordination (SPEC §11): every decision about a run, taken atomically inside Redis.
-- KEYS[1] is the run's key prefix "testsync:{<testID>}:" (hash tag: one slot per run), and every key
-- the script touches is of that run, so on Redis Cluster each call stays in one slot (a node's keys are
-- only ever touched by single-key commands, from NodeLease). ARGV[1] names the operation. Effects on members of other nodes are
-- PUBLISHed on the run's channel <prefix>ev from inside the script, so they are emitted exactly when
-- the decision is taken, once; each is also appended to the run's event log <prefix>evs (a stream,
-- capped) and carries its entry id, so a node whose pub/sub connection was down reads back what it
-- missed, by id, exactly once. Reply ids are stored as text, "" meaning none.
local P = KEYS[1]
local op = ARGV[1]
local EV = P .. 'ev'
local MAX_NAMES = 100
-- events kept in a run's log for nodes that were not listening (approximate, as XADD MAXLEN ~ trims)
local EVENT_LOG = 1000
local MAX_MAGNITUDE = 9007199254740991

-- An event for the members of other nodes: logged, then published with its log id.
local function emit(ev)
  local id = redis.call('XADD', P .. 'evs', 'MAXLEN', '~', EVENT_LOG, '*', 'e', cjson.encode(ev))
  ev.id = id
  redis.call('PUBLISH', EV, cjson.encode(ev))
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function touch(now)
  redis.call('SET', P .. 'act', string.format('%d', now))
end

local function is_member(conn)
  return redis.call('ZSCORE', P .. 'members', conn) ~= false
end

local function agent_of(conn)
  return redis.call('HGET', P .. 'agents', conn) or conn
end

-- Names of up to 100 waiting members in join order, and of connected members that had not joined.
local function names(cpw)
  local joined = {}
  for _, c in ipairs(redis.call('ZRANGE', cpw, 0, MAX_NAMES - 1)) do joined[#joined + 1] = agent_of(c) end
  local absent = {}
  for _, c in ipairs(redis.call('ZRANGE', P .. 'members', 0, -1)) do
    if #absent == MAX_NAMES then break end
    if redis.call('ZSCORE', cpw, c) == false then absent[#absent + 1] = agent_of(c) end
  end
  return joined, absent
end

-- Every waiter of a checkpoint with its reply id, forgetting the wait; the event's address list.
local function take_waiters(ident)
  local cpw, cpr = P .. 'cpw:' .. ident, P .. 'cpr:' .. ident
  local to = {}
  local replies = redis.call('HGETALL', cpr)
  local reply = {}
  for i = 1, #replies, 2 do reply[replies[i]] = replies[i + 1] end
  for _, c in ipairs(redis.call('ZRANGE', cpw, 0, -1)) do
    to[#to + 1] = { c, reply[c] or '' }
    redis.call('SREM', P .. 'mj:' .. c, ident)
  end
  redis.call('DEL', cpw, cpr)
  return to
end

local function publish_release(rel, to)
  emit({ k = 'rel', r = rel, to = to })
end

-- A failed release (timeout, participant_lost, operator_released): the checkpoint is gone afterwards.
local function fail(ident, reason, lost, now, lead)
  local cp = P .. 'cp:' .. ident
  local cpw = P .. 'cpw:' .. ident
  local joined, absent = names(cpw)
  local rel = { i = ident, f = false, why = reason, j = redis.call('ZCARD', cpw),
                t = tonumber(redis.call('HGET', cp, 'target')), s = now + lead,
                lost = lost and { lost } or {}, ja = joined, aa = absent }
  publish_release(rel, take_waiters(ident))
  redis.call('DEL', cp)
  redis.call('SREM', P .. 'cps', ident)
end

local function complete(ident, now, lead)
  local cp = P .. 'cp:' .. ident
  local joined = redis.call('ZCARD', P .. 'cpw:' .. ident)
  local start = now + lead
  redis.call('HSET', cp, 'state', 'complete', 'joined', joined, 'start', string.format('%d', start))
  local rel = { i = ident, f = true, why = 'complete', j = joined, t = tonumber(redis.call('HGET', cp, 'target')),
                s = start, lost = {}, ja = {}, aa = {} }
  publish_release(rel, take_waiters(ident))
end

-- The lock's next waiter becomes its holder (granted through the channel), or the lock is free.
local function hand_over(name)
  local l, lq, lw = P .. 'l:' .. name, P .. 'lq:' .. name, P .. 'lw:' .. name
  local holder = redis.call('HGET', l, 'holder')
  if holder then redis.call('SREM', P .. 'mlh:' .. holder, name) end
  local token = redis.call('LPOP', lq)
  if not token then
    redis.call('HDEL', l, 'holder')
    return
  end
  local entry = redis.call('HGET', lw, token)
  redis.call('HDEL', lw, token)
  local sep = string.find(entry, '\n', 1, true)
  local conn, reply = string.sub(entry, 1, sep - 1), string.sub(entry, sep + 1)
  redis.call('HDEL', P .. 'lwc:' .. name, conn)
  redis.call('SREM', P .. 'mlw:' .. conn, name)
  local fence = redis.call('HINCRBY', l, 'fence', 1)
  redis.call('HSET', l, 'holder', conn)
  redis.call('SADD', P .. 'mlh:' .. conn, name)
  emit({ k = 'grant', c = conn, n = name, fe = fence, r = reply, tk = token })
end

-- A member leaves: stops counting, leaves its checkpoints (fail_on_leave fails them), subscriptions and locks.
local function leave(conn, now, lead)
  if not is_member(conn) then return 0 end
  local agent = agent_of(conn)
  redis.call('ZREM', P .. 'members', conn)
  redis.call('HDEL', P .. 'agents', conn)
  redis.call('HDEL', P .. 'nodes', conn)
  redis.call('HDEL', P .. 'info', conn)
  touch(now)
  local mj = P .. 'mj:' .. conn
  for _, ident in ipairs(redis.call('SMEMBERS', mj)) do
    local cp, cpw = P .. 'cp:' .. ident, P .. 'cpw:' .. ident
    redis.call('ZREM', cpw, conn)
    redis.call('HDEL', P .. 'cpr:' .. ident, conn)
    local left = redis.call('ZCARD', cpw)
    if redis.call('HGET', cp, 'fol') == '1' and left > 0 then
      fail(ident, 'participant_lost', agent, now, lead)
    elseif left == 0 then
      redis.call('DEL', cp, cpw, P .. 'cpr:' .. ident)
      redis.call('SREM', P .. 'cps', ident)
    end
  end
  redis.call('DEL', mj)
  local msub = P .. 'msub:' .. conn
  for _, topic in ipairs(redis.call('SMEMBERS', msub)) do redis.call('SREM', P .. 'ts:' .. topic, conn) end
  redis.call('DEL', msub)
  local mlw = P .. 'mlw:' .. conn
  for _, name in ipairs(redis.call('SMEMBERS', mlw)) do
    local token = redis.call('HGET', P .. 'lwc:' .. name, conn)
    if token then
      redis.call('LREM', P .. 'lq:' .. name, 0, token)
      redis.call('HDEL', P .. 'lw:' .. name, token)
      redis.call('HDEL', P .. 'lwc:' .. name, conn)
    end
  end
  redis.call('DEL', mlw)
  local mlh = P .. 'mlh:' .. conn
  for _, name in ipairs(redis.call('SMEMBERS', mlh)) do hand_over(name) end
  redis.call('DEL', mlh)
  return 1
end

if op == 'admit' then
  -- conn, agent, node, max per run, what the management API shows of the connection (JSON)
  local conn = ARGV[2]
  if is_member(conn) then return 1 end
  if redis.call('ZCARD', P .. 'members') >= tonumber(ARGV[5]) then return 0 end
  local order = redis.call('HINCRBY', P .. 'meta', 'arrivals', 1)
  redis.call('ZADD', P .. 'members', order, conn)
  redis.call('HSET', P .. 'agents', conn, ARGV[3])
  redis.call('HSET', P .. 'nodes', conn, ARGV[4])
  if ARGV[6] then redis.call('HSET', P .. 'info', conn, ARGV[6]) end
  touch(now_ms())
  return 1
end

if op == 'leave' then
  -- conn, release lead
  return leave(ARGV[2], now_ms(), tonumber(ARGV[3]))
end

if op == 'evict' then
  -- node incarnation, release lead: every connection the (dead) node held in this run leaves
  local now, n = now_ms(), 0
  local nodes = redis.call('HGETALL', P .. 'nodes')
  for i = 1, #nodes, 2 do
    if nodes[i + 1] == ARGV[2] then n = n + leave(nodes[i], now, tonumber(ARGV[3])) end
  end
  return n
end

if op == 'count' then
  return redis.call('ZCARD', P .. 'members')
end

if op == 'expire' then
  -- identifier, gen, lead: the timeout, decided by whichever node asks first
  local ident = ARGV[2]
  local now = now_ms()
  local cp = P .. 'cp:' .. ident
  if redis.call('HGET', cp, 'state') ~= 'waiting' or redis.call('HGET', cp, 'gen') ~= ARGV[3] then return { 'decided' } end
  local deadline = tonumber(redis.call('HGET', cp, 'deadline'))
  if deadline == 0 then return { 'decided' } end
  if now < deadline then return { 'early', deadline - now } end
  fail(ident, 'timeout', nil, now, tonumber(ARGV[4]))
  return { 'expired' }
end

if op == 'operator_release' then
  -- identifier, lead: an operator releases a waiting checkpoint (SPEC §10); the number released, -1 when none waits
  local ident = ARGV[2]
  if redis.call('HGET', P .. 'cp:' .. ident, 'state') ~= 'waiting' then return -1 end
  local now = now_ms()
  local n = redis.call('ZCARD', P .. 'cpw:' .. ident)
  fail(ident, 'operator_released', nil, now, tonumber(ARGV[3]))
  touch(now)
  return n
end

-- Every other operation is asked by a member, which must still be one (a dead node's were evicted).
local conn = ARGV[2]
if not is_member(conn) then return { 'gone' } end
local now = now_ms()
touch(now)

if op == 'join' then
  -- conn, identifier, target, timeout (-1 = default), fail_on_leave, reply, max checkpoints, default timeout, lead
  local ident, reply = ARGV[3], ARGV[7]
  local cp, cpw = P .. 'cp:' .. ident, P .. 'cpw:' .. ident
  local lead = tonumber(ARGV[10])
  if redis.call('EXISTS', cp) == 0 then
    if redis.call('SCARD', P .. 'cps') >= tonumber(ARGV[8]) then return { 'limit' } end
    local timeout = tonumber(ARGV[5])
    if timeout < 0 then timeout = tonumber(ARGV[9]) end
    local deadline = 0
    if timeout > 0 then deadline = now + timeout end
    local gen = redis.call('HINCRBY', P .. 'meta', 'checkpoints', 1)
    redis.call('HSET', cp, 'target', ARGV[4], 'fol', ARGV[6], 'deadline', string.format('%d', deadline),
      'state', 'waiting', 'gen', gen)
    redis.call('SADD', P .. 'cps', ident)
  end
  if redis.call('HGET', cp, 'state') == 'complete' then
    return { 'complete', tonumber(redis.call('HGET', cp, 'joined')), tonumber(redis.call('HGET', cp, 'target')),
             tonumber(redis.call('HGET', cp, 'start')) }
  end
  if redis.call('ZSCORE', cpw, conn) == false then
    redis.call('ZADD', cpw, redis.call('HINCRBY', P .. 'meta', 'joins', 1), conn)
    redis.call('HSET', P .. 'cpr:' .. ident, conn, reply)
    redis.call('SADD', P .. 'mj:' .. conn, ident)
    if redis.call('ZCARD', cpw) >= tonumber(redis.call('HGET', cp, 'target')) then
      complete(ident, now, lead)
      return { 'released' }
    end
  end
  local deadline = tonumber(redis.call('HGET', cp, 'deadline'))
  local remaining = -1
  if deadline > 0 then remaining = math.max(0, deadline - now) end
  return { 'waiting', remaining, redis.call('HGET', cp, 'gen') }
end

if op == 'signal' then
  -- conn, state, max states
  local states = P .. 'states'
  if redis.call('HEXISTS', states, ARGV[3]) == 0 and redis.call('HLEN', states) >= tonumber(ARGV[4]) then return { 'limit' } end
  return { 'ok', redis.call('HINCRBY', states, ARGV[3], 1) }
end

if op == 'counter' then
  -- conn, name, add (decimal text), max counters. The bound is exact in doubles: |value| <= 2^53 - 1 is held,
  -- so a sum beyond the bound rounds to at least 2^53 and one within it is exact.
  local counters, name, add = P .. 'counters', ARGV[3], ARGV[4]
  local current = redis.call('HGET', counters, name)
  if current == false and add ~= '0' and redis.call('HLEN', counters) >= tonumber(ARGV[5]) then return { 'limit' } end
  local base = current or '0'
  local addn = tonumber(add)
  if math.abs(addn) > MAX_MAGNITUDE or math.abs(tonumber(base) + addn) > MAX_MAGNITUDE then return { 'range', base } end
  if add == '0' then return { 'ok', base } end
  return { 'ok', redis.call('HINCRBY', counters, name, add) }
end

if op == 'publish' then
  -- conn, topic, payload, max topics, max messages per topic
  local topic = ARGV[3]
  local stream = P .. 't:' .. topic
  if redis.call('SISMEMBER', P .. 'topics', topic) == 0 then
    if redis.call('SCARD', P .. 'topics') >= tonumber(ARGV[5]) then return { 'limit', 'topics' } end
    redis.call('SADD', P .. 'topics', topic)
  end
  local n = redis.call('XLEN', stream)
  if n >= tonumber(ARGV[6]) then return { 'limit', 'messages' } end
  local seq = n + 1
  redis.call('XADD', stream, string.format('%d-1', seq), 'p', ARGV[4], 'ts', string.format('%d', now))
  emit({ k = 'msg', t = topic, s = seq, p = ARGV[4], ts = now })
  return { 'ok', seq }
end

if op == 'subscribe' then
  -- conn, topic, from seq, max topics: the replay
  local topic = ARGV[3]
  if redis.call('SISMEMBER', P .. 'topics', topic) == 0 then
    if redis.call('SCARD', P .. 'topics') >= tonumber(ARGV[5]) then return { 'limit' } end
    redis.call('SADD', P .. 'topics', topic)
  end
  if redis.call('SADD', P .. 'ts:' .. topic, conn) == 0 then return { 'already' } end
  redis.call('SADD', P .. 'msub:' .. conn, topic)
  local out = { 'ok' }
  for _, e in ipairs(redis.call('XRANGE', P .. 't:' .. topic, ARGV[4] .. '-1', '+')) do
    local f = e[2]
    local seq = string.sub(e[1], 1, string.find(e[1], '-', 1, true) - 1)
    out[#out + 1] = seq
    out[#out + 1] = f[2]
    out[#out + 1] = f[4]
  end
  return out
end

if op == 'unsubscribe' then
  redis.call('SREM', P .. 'msub:' .. conn, ARGV[3])
  return { 'ok', redis.call('SREM', P .. 'ts:' .. ARGV[3], conn) }
end

if op == 'lock' then
  -- conn, name, reply, max locks
  local name, reply = ARGV[3], ARGV[4]
  local l = P .. 'l:' .. name
  if redis.call('SISMEMBER', P .. 'locks', name) == 0 then
    if redis.call('SCARD', P .. 'locks') >= tonumber(ARGV[5]) then return { 'limit' } end
    redis.call('SADD', P .. 'locks', name)
  end
  local holder = redis.call('HGET', l, 'holder')
  if holder == conn then return { 'holds' } end
  if redis.call('HEXISTS', P .. 'lwc:' .. name, conn) == 1 then return { 'waits' } end
  if not holder then
    local fence = redis.call('HINCRBY', l, 'fence', 1)
    redis.call('HSET', l, 'holder', conn)
    redis.call('SADD', P .. 'mlh:' .. conn, name)
    return { 'granted', fence }
  end
  local token = tostring(redis.call('HINCRBY', P .. 'meta', 'lockwaits', 1))
  redis.call('RPUSH', P .. 'lq:' .. name, token)
  redis.call('HSET', P .. 'lw:' .. name, token, conn .. '\n' .. reply)
  redis.call('HSET', P .. 'lwc:' .. name, conn, token)
  redis.call('SADD', P .. 'mlw:' .. conn, name)
  return { 'waiting', token }
end

if op == 'lock_expire' then
  -- conn, name, token: true when the wait ended now (the grant did not come first)
  local name, token = ARGV[3], ARGV[4]
  if redis.call('HGET', P .. 'lwc:' .. name, conn) ~= token then return { 'decided' } end
  redis.call('LREM', P .. 'lq:' .. name, 0, token)
  redis.call('HDEL', P .. 'lw:' .. name, token)
  redis.call('HDEL', P .. 'lwc:' .. name, conn)
  redis.call('SREM', P .. 'mlw:' .. conn, name)
  return { 'expired' }
end

if op == 'unlock' then
  local name = ARGV[3]
  if redis.call('HGET', P .. 'l:' .. name, 'holder') ~= conn then return { 'ok', 0 } end
  hand_over(name)
  return { 'ok', 1 }
end

return redis.error_reply('unknown coordination operation ' .. tostring(op))
