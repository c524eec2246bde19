--[[
  Reads or moves a waitpoint token: the one place a token changes state. A WAITING token whose
  timeout has passed is timed out by whichever call sees it first, so a timeout needs no timer;
  completion and timeout are each one atomic move out of WAITING, so a token settles once.

  KEYS[1] the token's bucket                 <waitpoints>tokens:<bucket>
  KEYS[2] its bucket's waiters               <waitpoints>waiters:<bucket>
  KEYS[3] the token's details (output, ...)  <waitpoints>token:<id>
          (its first waiter is a field of KEYS[2]; others are "r:<run id>" fields of KEYS[3])
  KEYS[4] settled tokens by settling time (zset, for retention)
  KEYS[5] settled tokens whose waiters may not be woken yet (zset; only tokens that have waiters)

  ARGV[1] token id
  ARGV[2] now (ms)
  ARGV[3] mode: "check"    read (timing out a due token)
                "wait"     read, and register run ARGV[5] of queue ARGV[6] as a waiter if WAITING
                "complete" complete with output ARGV[4] unless settled or due
                "timeout"  time out now unless settled
  ARGV[4] output JSON (complete)
  ARGV[5] waiting run id (wait)
  ARGV[6] waiting run's queue, followed by " alone" when the run waits on nothing else (wait)

  Returns {"missing"} for no such token, else
          {status, times out at, settled at or "", output JSON or "" (also "" when this call
           completed it: the caller sent it), 1 if this call settled it else 0,
           then, once settled, each waiter as run id, queue (as registered)}
]]
--- @include "token-buckets"
--- @include "waiters"

local id = ARGV[1]
local now = ARGV[2]
local mode = ARGV[3]
local field = tokenField(id)
local state = redis.call("HGET", KEYS[1], field)
if not state then
  return {"missing"}
end
local status, timeoutAt, settledAt = readTokenState(state)
local output = ""
if status == "COMPLETED" then
  output = redis.call("HGET", KEYS[3], "o") or ""
end

local moved = 0
if status == "WAITING" then
  local due = tonumber(now) >= tonumber(timeoutAt)
  if mode == "complete" and not due then
    status = "COMPLETED"
    redis.call("HSET", KEYS[1], field, "C" .. timeoutAt .. " " .. now)
    redis.call("HSET", KEYS[3], "o", ARGV[4])
    moved = 1
  elseif mode == "timeout" or due then
    status = "TIMED_OUT"
    redis.call("HSET", KEYS[1], field, "T" .. timeoutAt .. " " .. now)
    moved = 1
  elseif mode == "wait" then
    local slot = tokenSlot(id)
    local first
    eachTokenWaiter(KEYS[2], slot, function(waiterField)
      first = waiterField
    end)
    if not first or first == slot .. ARGV[5] then
      redis.call("HSET", KEYS[2], slot .. ARGV[5], ARGV[6])
    else
      redis.call("HSET", KEYS[3], "r:" .. ARGV[5], ARGV[6])
    end
  end
  if moved == 1 then
    settledAt = now
    redis.call("ZADD", KEYS[4], now, id)
  end
end

local reply = {status, timeoutAt, settledAt or "", output, moved}
if status ~= "WAITING" then
  eachTokenWaiter(KEYS[2], tokenSlot(id), function(_, runId, queue)
    table.insert(reply, runId)
    table.insert(reply, queue)
  end)
  appendWaiters(KEYS[3], reply)
  if moved == 1 and #reply > 5 then
    redis.call("ZADD", KEYS[5], now, id)
  end
end
return reply
