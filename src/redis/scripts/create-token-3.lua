--[[
  Creates a waitpoint token, or returns the live token its idempotency key already names.

  KEYS[1] the token's hash                   <waitpoints>token:<id>
  KEYS[2] tokens by creation time (zset)     <waitpoints>created
  KEYS[3] WAITING tokens by timeout (zset)   <waitpoints>timeouts

  ARGV[1] prefix of the waitpoints slot      <prefix>:{waitpoints}:
  ARGV[2] token id
  ARGV[3] created at (ms)
  ARGV[4] times out at (ms)
  ARGV[5] idempotency key hash, or "" for none
  ARGV[6] idempotency key as given
  ARGV[7] idempotency key time to live (ms)
  ARGV[8] tags as JSON
  ARGV[9..] tags

  Returns {token id, 1 if it existed already else 0, created at, times out at}
]]
local prefix = ARGV[1]
local id = ARGV[2]
local keyHash = ARGV[5]

if keyHash ~= "" then
  local idempotencyKey = prefix .. "idem:" .. keyHash
  local existing = redis.call("GET", idempotencyKey)
  if existing then
    local times = redis.call("HMGET", prefix .. "token:" .. existing, "c", "t")
    if times[1] then
      return {existing, 1, times[1], times[2]}
    end
  end
  redis.call("SET", idempotencyKey, id, "PX", ARGV[7])
end

redis.call("HSET", KEYS[1], "s", "WAITING", "c", ARGV[3], "t", ARGV[4])
if keyHash ~= "" then
  redis.call("HSET", KEYS[1], "k", ARGV[6], "h", keyHash)
end
if #ARGV > 8 then
  redis.call("HSET", KEYS[1], "g", ARGV[8])
  for i = 9, #ARGV do
    redis.call("ZADD", prefix .. "tag:" .. ARGV[i], ARGV[3], id)
  end
end
redis.call("ZADD", KEYS[2], ARGV[3], id)
redis.call("ZADD", KEYS[3], ARGV[4], id)
return {id, 0, ARGV[3], ARGV[4]}
