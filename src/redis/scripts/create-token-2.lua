--[[
  Creates a waitpoint token, or returns the live token its idempotency key already names.

  KEYS[1] the token's hash                   <waitpoints>token:<id>
  KEYS[2] every token (zset, all scores 0)   <waitpoints>created

  ARGV[1] prefix of the waitpoints slot      <prefix>:{waitpoints}:
  ARGV[2] token id
  ARGV[3] times out at (ms)
  ARGV[4] idempotency key hash, or "" for none
  ARGV[5] idempotency key as given
  ARGV[6] idempotency key time to live (ms)
  ARGV[7] tags as JSON
  ARGV[8..] tags

  Ids sort by creation time, so the token indexes are lexicographic (every score 0) and the
  token's hash keeps no creation time.

  Returns {token id, 1 if it existed already else 0, times out at}
]]
local prefix = ARGV[1]
local id = ARGV[2]
local keyHash = ARGV[4]

if keyHash ~= "" then
  local idempotencyKey = prefix .. "idem:" .. keyHash
  local existing = redis.call("GET", idempotencyKey)
  if existing then
    local timeoutAt = redis.call("HGET", prefix .. "token:" .. existing, "t")
    if timeoutAt then
      return {existing, 1, timeoutAt}
    end
  end
  redis.call("SET", idempotencyKey, id, "PX", ARGV[6])
end

redis.call("HSET", KEYS[1], "s", "WAITING", "t", ARGV[3])
if keyHash ~= "" then
  redis.call("HSET", KEYS[1], "k", ARGV[5], "h", keyHash)
end
if #ARGV > 7 then
  redis.call("HSET", KEYS[1], "g", ARGV[7])
  for i = 8, #ARGV do
    redis.call("ZADD", prefix .. "tag:" .. ARGV[i], 0, id)
  end
end
redis.call("ZADD", KEYS[2], 0, id)
return {id, 0, ARGV[3]}
