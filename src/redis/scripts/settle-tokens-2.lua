--[[
  Reads or moves waitpoint tokens: the one place a token changes state. A WAITING token whose
  timeout has passed is timed out by whichever call sees it first, so a timeout needs no timer;
  completion and timeout are each one atomic move out of WAITING, so a token settles once.
  Takes any number of tokens (the calls made in a row in one turn of the event loop), each settled
  on its own: an error settling one is that token's reply, and the others are still settled.
  A token no run has waited on yet (stored as E) settles without reading any waiters, and its
  first waiter registers without reading the bucket's waiters of other tokens.

  KEYS[1] settled tokens by settling time (zset, for retention)
  KEYS[2] settled tokens whose waiters may not be woken yet (zset; only tokens that have waiters)

  ARGV[1] prefix of the waitpoints slot      <prefix>:{waitpoints}:
          (a token's bucket <prefix>tokens:<bucket>, its bucket's waiters <prefix>waiters:<bucket>,
           its details <prefix>token:<id>; its first waiter is a field of the bucket's waiters,
           others are "r:<run id>" fields of its details)
  then six per token:
    token id
    now (ms)
    mode: "check"    read (timing out a due token)
          "wait"     read, and register the waiting run as a waiter if WAITING
          "complete" complete with the output unless settled or due
          "timeout"  time out now unless settled
    output JSON (complete)
    waiting run id (wait)
    waiting run's queue, followed by " alone" when the run waits on nothing else (wait)

  Returns one reply per token, in order: an error, {"missing"} for no such token, else
          {status, times out at, settled at or "", output JSON or "" (also "" when this call
           completed it: the caller sent it), 1 if this call settled it else 0,
           then, once settled, each waiter as run id, queue (as registered)}
]]
--- @include "token-buckets"
--- @include "waiters"

local prefix = ARGV[1]

local function settle(id, now, mode, output, waiterRunId, waiterQueue)
  local bucket = tokenBucket(id)
  local tokens = bucketKey(prefix, bucket)
  local waiters = waitersKey(prefix, bucket)
  local details = detailsKey(prefix, id)
  local field = tokenField(id)
  local state = redis.call("HGET", tokens, field)
  if not state then
    return {"missing"}
  end
  local status, timeoutAt, settledAt = readTokenState(state)
  local waited = not neverWaited(state)
  local storedOutput = ""
  if status == "COMPLETED" then
    storedOutput = redis.call("HGET", details, "o") or ""
  end

  local moved = 0
  if status == "WAITING" then
    local due = tonumber(now) >= tonumber(timeoutAt)
    if mode == "complete" and not due then
      status = "COMPLETED"
      redis.call("HSET", tokens, field, "C" .. timeoutAt .. " " .. now)
      redis.call("HSET", details, "o", output)
      moved = 1
    elseif mode == "timeout" or due then
      status = "TIMED_OUT"
      redis.call("HSET", tokens, field, "T" .. timeoutAt .. " " .. now)
      moved = 1
    elseif mode == "wait" then
      local slot = tokenSlot(id)
      local first
      if waited then
        eachTokenWaiter(waiters, slot, function(waiterField)
          first = waiterField
        end)
      else
        redis.call("HSET", tokens, field, "W" .. timeoutAt)
      end
      if not first or first == slot .. waiterRunId then
        redis.call("HSET", waiters, slot .. waiterRunId, waiterQueue)
      else
        redis.call("HSET", details, "r:" .. waiterRunId, waiterQueue)
      end
    end
    if moved == 1 then
      settledAt = now
      redis.call("ZADD", KEYS[1], now, id)
    end
  end

  local reply = {status, timeoutAt, settledAt or "", storedOutput, moved}
  if status ~= "WAITING" and waited then
    eachTokenWaiter(waiters, tokenSlot(id), function(_, runId, queue)
      table.insert(reply, runId)
      table.insert(reply, queue)
    end)
    appendWaiters(details, reply)
    if moved == 1 and #reply > 5 then
      redis.call("ZADD", KEYS[2], now, id)
    end
  end
  return reply
end

local replies = {}
for i = 2, #ARGV, 6 do
  local ok, reply = pcall(settle, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
  if not ok then
    reply = redis.error_reply(type(reply) == "table" and reply.err or tostring(reply))
  end
  table.insert(replies, reply)
end
return replies
