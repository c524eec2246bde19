--[[
  Creates a waitpoint token, or returns the live token its idempotency key already names. The
  token's number (the count of tokens before it) gives its bucket and slot, which complete its id.

  KEYS[1] how many tokens were ever created   <waitpoints>count

  ARGV[1] prefix of the waitpoints slot      <prefix>:{waitpoints}:
  ARGV[2] the id's head: "waitpoint_" and the creation time
  ARGV[3] the id's tail: random characters
  ARGV[4] times out at (ms)
  ARGV[5] idempotency key hash, or "" for none
  ARGV[6] idempotency key as given
  ARGV[7] idempotency key time to live (ms)
  ARGV[8] tags as JSON
  ARGV[9..] tags

  Ids sort by creation time, so the tag indexes are lexicographic (every score 0) and a token
  keeps no creation time.

  Returns {token id, 1 if it existed already else 0, times out at}
]]
--- @include "token-buckets"

local prefix = ARGV[1]
local keyHash = ARGV[5]

if keyHash ~= "" then
  local existing = redis.call("GET", prefix .. "idem:" .. keyHash)
  if existing then
    local state = redis.call("HGET", bucketKey(prefix, tokenBucket(existing)), tokenField(existing))
    if state then
      local _, timeoutAt = readTokenState(state)
      return {existing, 1, timeoutAt}
    end
  end
end

local number = redis.call("INCR", KEYS[1]) - 1
local bucket = base32(math.floor(number / TOKENS_PER_BUCKET), 7)
local id = ARGV[2] .. bucket .. base32(number % TOKENS_PER_BUCKET, 1) .. ARGV[3]
redis.call("HSET", bucketKey(prefix, bucket), tokenField(id), "E" .. ARGV[4])

local details = detailsKey(prefix, id)
if keyHash ~= "" then
  redis.call("SET", prefix .. "idem:" .. keyHash, id, "PX", ARGV[7])
  redis.call("HSET", details, "k", ARGV[6], "h", keyHash)
end
if #ARGV > 8 then
  redis.call("HSET", details, "g", ARGV[8])
  for i = 9, #ARGV do
    redis.call("ZADD", prefix .. "tag:" .. ARGV[i], 0, id)
  end
end
return {id, 0, ARGV[4]}
