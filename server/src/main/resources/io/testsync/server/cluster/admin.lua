-- TestSync cluster management (SPEC §10 on §11): what the management API reads of one run, and its removal.
-- KEYS[1] is the run's key prefix "testsync:{<testID>}:" (one slot per run, as coordination.lua); ARGV[1]
-- names the operation. Reads only, but for 'purge', which deletes every coordination key of the run.
local P = KEYS[1]
local op = ARGV[1]

local function agent_of(conn)
  return redis.call('HGET', P .. 'agents', conn) or conn
end

local function waiting_checkpoints()
  local n = 0
  for _, ident in ipairs(redis.call('SMEMBERS', P .. 'cps')) do
    if redis.call('HGET', P .. 'cp:' .. ident, 'state') == 'waiting' then n = n + 1 end
  end
  return n
end

local function last_activity()
  return tonumber(redis.call('GET', P .. 'act') or '0')
end

if op == 'summary' then
  -- members, waiting checkpoints, last activity, data write time, topics, locks held, lock waiters
  local held, waiters = 0, 0
  for _, name in ipairs(redis.call('SMEMBERS', P .. 'locks')) do
    if redis.call('HEXISTS', P .. 'l:' .. name, 'holder') == 1 then held = held + 1 end
    waiters = waiters + redis.call('LLEN', P .. 'lq:' .. name)
  end
  return { redis.call('ZCARD', P .. 'members'), waiting_checkpoints(), last_activity(),
           tonumber(redis.call('HGET', P .. 'data', 'at') or '0'), redis.call('SCARD', P .. 'topics'), held, waiters }
end

if op == 'detail' then
  -- the run as JSON: agents in arrival order with their node and what their node stored of them
  local agents = {}
  local nodes = redis.call('HGETALL', P .. 'nodes')
  local node = {}
  for i = 1, #nodes, 2 do node[nodes[i]] = nodes[i + 1] end
  for _, conn in ipairs(redis.call('ZRANGE', P .. 'members', 0, -1)) do
    agents[#agents + 1] = { c = conn, a = agent_of(conn), n = node[conn] or '',
                            i = redis.call('HGET', P .. 'info', conn) or '' }
  end
  local cps = {}
  for _, ident in ipairs(redis.call('SMEMBERS', P .. 'cps')) do
    local cp = P .. 'cp:' .. ident
    local state = redis.call('HGET', cp, 'state')
    if state then
      local joined, names = 0, {}
      if state == 'waiting' then
        for _, c in ipairs(redis.call('ZRANGE', P .. 'cpw:' .. ident, 0, 99)) do names[#names + 1] = agent_of(c) end
        joined = redis.call('ZCARD', P .. 'cpw:' .. ident)
      else
        joined = tonumber(redis.call('HGET', cp, 'joined'))
      end
      cps[#cps + 1] = { i = ident, s = state, t = tonumber(redis.call('HGET', cp, 'target')), j = joined, ja = names,
                        d = tonumber(redis.call('HGET', cp, 'deadline') or '0'),
                        st = tonumber(redis.call('HGET', cp, 'start') or '0') }
    end
  end
  local topics = {}
  for _, t in ipairs(redis.call('SMEMBERS', P .. 'topics')) do
    topics[#topics + 1] = { t = t, m = redis.call('XLEN', P .. 't:' .. t), s = redis.call('SCARD', P .. 'ts:' .. t) }
  end
  local locks = {}
  for _, name in ipairs(redis.call('SMEMBERS', P .. 'locks')) do
    local l = P .. 'l:' .. name
    local holder = redis.call('HGET', l, 'holder')
    local waiting = {}
    for _, token in ipairs(redis.call('LRANGE', P .. 'lq:' .. name, 0, -1)) do
      local entry = redis.call('HGET', P .. 'lw:' .. name, token)
      if entry then
        local conn = string.sub(entry, 1, string.find(entry, '\n', 1, true) - 1)
        waiting[#waiting + 1] = { c = conn, a = agent_of(conn) }
      end
    end
    local h = false
    if holder then h = { c = holder, a = agent_of(holder) } end
    locks[#locks + 1] = { n = name, h = h, w = waiting, f = tonumber(redis.call('HGET', l, 'fence') or '0') }
  end
  return cjson.encode({ agents = agents, cps = cps, counters = redis.call('HGETALL', P .. 'counters'),
                        states = redis.call('HGETALL', P .. 'states'), topics = topics, locks = locks,
                        held = redis.call('EXISTS', P .. 'act') })
end

if op == 'find' then
  -- member id: the connections of the run with that member id, each with its node incarnation
  local out = {}
  local suffix = '/' .. ARGV[2]
  local nodes = redis.call('HGETALL', P .. 'nodes')
  for i = 1, #nodes, 2 do
    local conn = nodes[i]
    if string.sub(conn, -#suffix) == suffix then
      out[#out + 1] = conn
      out[#out + 1] = nodes[i + 1]
    end
  end
  return out
end

if op == 'nodes' then
  -- every connection of the run with its node incarnation
  return redis.call('HGETALL', P .. 'nodes')
end

if op == 'drop_if_empty' or op == 'purge' then
  -- purge: cutoff (-1: whatever the state): removes every coordination key of the run, unless it has members
  -- or was active (state or data) at or after the cutoff. drop_if_empty: the same when the run holds nothing
  -- (no member, checkpoint, counter, state, topic or lock). The data key is the store's, left alone.
  if op == 'drop_if_empty' then
    if redis.call('ZCARD', P .. 'members') > 0 or redis.call('SCARD', P .. 'cps') > 0
      or redis.call('HLEN', P .. 'counters') > 0 or redis.call('HLEN', P .. 'states') > 0
      or redis.call('SCARD', P .. 'topics') > 0 or redis.call('SCARD', P .. 'locks') > 0 then return 0 end
  else
    local cutoff = tonumber(ARGV[2])
    if cutoff >= 0 then
      if redis.call('ZCARD', P .. 'members') > 0 or last_activity() >= cutoff
        or tonumber(redis.call('HGET', P .. 'data', 'at') or '0') >= cutoff then return 0 end
    end
  end
  local doomed = { 'members', 'agents', 'nodes', 'info', 'meta', 'act', 'states', 'counters', 'cps', 'topics', 'locks', 'evs' }
  for _, conn in ipairs(redis.call('ZRANGE', P .. 'members', 0, -1)) do
    for _, part in ipairs({ 'mj:', 'msub:', 'mlw:', 'mlh:' }) do doomed[#doomed + 1] = part .. conn end
  end
  for _, ident in ipairs(redis.call('SMEMBERS', P .. 'cps')) do
    for _, part in ipairs({ 'cp:', 'cpw:', 'cpr:' }) do doomed[#doomed + 1] = part .. ident end
  end
  for _, t in ipairs(redis.call('SMEMBERS', P .. 'topics')) do
    for _, part in ipairs({ 't:', 'ts:' }) do doomed[#doomed + 1] = part .. t end
  end
  for _, name in ipairs(redis.call('SMEMBERS', P .. 'locks')) do
    for _, part in ipairs({ 'l:', 'lq:', 'lw:', 'lwc:' }) do doomed[#doomed + 1] = part .. name end
  end
  local n = 0
  for _, part in ipairs(doomed) do n = n + redis.call('DEL', P .. part) end
  return 1
end

return redis.error_reply('unknown management operation ' .. tostring(op))
