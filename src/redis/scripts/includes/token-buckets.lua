--[[
  The layout of waitpoint tokens (engine/token-buckets.ts). A token id is "waitpoint_" + time
  (10 characters) + bucket (7) + slot (1) + random (8), in Crockford base32. The token is a field
  of the hash <waitpoints>tokens:<bucket>, named by its id's time, slot and random characters
  and holding "<E|W|C|T><times out at>[ <settled at>]" (E: waiting, and no run ever registered
  as its waiter, so settling it reads no waiters; W: waiting, with waiters — or, for a token made
  before E was written, perhaps none; C: completed; T: timed out). Its first waiter is the field
  "<its slot><run id>" of <waitpoints>waiters:<bucket> (a slot is never used twice), so that hash
  holds at most one field per token; further waiters are "r:<run id>" fields of its details.
]]
local TOKENS_PER_BUCKET = 32
local BASE32 = "0123456789abcdefghjkmnpqrstvwxyz"
local STATUS_NAMES = {E = "WAITING", W = "WAITING", C = "COMPLETED", T = "TIMED_OUT"}

local function tokenField(id)
  return string.sub(id, 11, 20) .. string.sub(id, 28)
end

local function tokenBucket(id)
  return string.sub(id, 21, 27)
end

local function tokenSlot(id)
  return string.sub(id, 28, 28)
end

-- A bucket's tokens, a bucket's first waiters, and a token's details, under the waitpoints slot's
-- prefix (named as keys.ts names them).
local function bucketKey(prefix, bucket)
  return prefix .. "tokens:" .. bucket
end

local function waitersKey(prefix, bucket)
  return prefix .. "waiters:" .. bucket
end

local function detailsKey(prefix, id)
  return prefix .. "token:" .. id
end

local function base32(value, length)
  local chars = {}
  for i = length, 1, -1 do
    local digit = value % 32
    chars[i] = string.sub(BASE32, digit + 1, digit + 1)
    value = math.floor(value / 32)
  end
  return table.concat(chars)
end

-- A stored state as status name, times out at, settled at (nil while WAITING).
local function readTokenState(state)
  local timeoutAt, settledAt = string.match(state, "^.(%d+) ?(%d*)$")
  return STATUS_NAMES[string.sub(state, 1, 1)], timeoutAt, settledAt ~= "" and settledAt or nil
end

-- Whether a stored state is of a token no run ever registered as waiting on ("E").
local function neverWaited(state)
  return string.sub(state, 1, 1) == "E"
end

-- Calls visit(hash field, run id, value) for each waiter of the token in slot `slot` of a
-- bucket whose waiters hash is `waitersKey`.
local function eachTokenWaiter(waitersKey, slot, visit)
  local all = redis.call("HGETALL", waitersKey)
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 1) == slot then
      visit(all[i], string.sub(all[i], 2), all[i + 1])
    end
  end
end
