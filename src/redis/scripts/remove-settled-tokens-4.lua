--[[
  Removes tokens that settled before a cutoff (their retention is over), with their waiters,
  details, index entries and the idempotency key that still names them; then raises the floor
  past the buckets left empty. WAITING tokens are never removed.

  KEYS[1] settled tokens by settling time (zset)
  KEYS[2] settled tokens whose waiters may not be woken yet (zset)
  KEYS[3] how many tokens were ever created
  KEYS[4] the lowest bucket number that may still hold tokens

  ARGV[1] prefix of the waitpoints slot   <prefix>:{waitpoints}:
  ARGV[2] cutoff: remove tokens settled at or before it (ms)
  ARGV[3] most tokens to remove

  Returns the number of tokens removed.
]]
--- @include "token-buckets"

local prefix = ARGV[1]
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[2], "LIMIT", 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local field = tokenField(id)
  local bucket = tokenBucket(id)
  local waiters = waitersKey(prefix, bucket)
  eachTokenWaiter(waiters, tokenSlot(id), function(waiterField)
    redis.call("HDEL", waiters, waiterField)
  end)
  redis.call("HDEL", bucketKey(prefix, bucket), field)
  local details = detailsKey(prefix, id)
  local fields = redis.call("HMGET", details, "g", "h")
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
  redis.call("DEL", details)
  redis.call("ZREM", KEYS[1], id)
  redis.call("ZREM", KEYS[2], id)
end

-- The bucket the next token goes to may fill again, so the floor stops there.
local floor = tonumber(redis.call("GET", KEYS[4]) or "0")
local nextBucket = math.floor(tonumber(redis.call("GET", KEYS[3]) or "0") / TOKENS_PER_BUCKET)
local start = floor
while floor < nextBucket and floor - start < 1000 and redis.call("EXISTS", bucketKey(prefix, base32(floor, 7))) == 0 do
  floor = floor + 1
end
if floor > start then
  redis.call("SET", KEYS[4], floor)
end
return #ids
