--[[
  Removes tokens that settled before a cutoff (their retention is over), with every index entry
  and the idempotency key that still names them. WAITING tokens are never removed.

  KEYS[1] settled tokens by settling time (zset)
  KEYS[2] tokens by creation time (zset)
  KEYS[3] settled tokens whose waiters may not be woken yet (zset)

  ARGV[1] prefix of the waitpoints slot   <prefix>:{waitpoints}:
  ARGV[2] cutoff: remove tokens settled at or before it (ms)
  ARGV[3] most tokens to remove

  Returns the number of tokens removed.
]]
local prefix = ARGV[1]
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[2], "LIMIT", 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local token = prefix .. "token:" .. id
  local fields = redis.call("HMGET", token, "g", "h")
  if fields[1] then
    for tag in string.gmatch(fields[1], '"([^"]*)"') do
      redis.call("ZREM", prefix .. "tag:" .. tag, id)
    end
  end
  if fields[2] then
    local idempotencyKey = prefix .. "idem:" .. fields[2]
    if redis.call("GET", idempotencyKey) == id then
      redis.call("DEL", idempotencyKey)
    end
  end
  redis.call("DEL", token)
  redis.call("ZREM", KEYS[1], id)
  redis.call("ZREM", KEYS[2], id)
  redis.call("ZREM", KEYS[3], id)
end
return #ids
