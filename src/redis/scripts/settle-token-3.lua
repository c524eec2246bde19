--[[
  Reads or moves a waitpoint token: the one place a token changes state. A WAITING token whose
  timeout has passed is timed out by whichever call sees it first, so a timeout needs no timer;
  completion and timeout are each one atomic move out of WAITING, so a token settles once.

  KEYS[1] the token's hash
  KEYS[2] settled tokens by settling time (zset, for retention)
  KEYS[3] settled tokens whose waiters may not be woken yet (zset; only tokens that have waiters)

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
--- @include "waiters"

local token = KEYS[1]
local id = ARGV[1]
local fields = redis.call("HMGET", token, "s", "t", "d", "o")
local status = fields[1]
if not status then
  return {"missing"}
end

local moved = 0
if status == "WAITING" then
  local mode = ARGV[3]
  local due = tonumber(ARGV[2]) >= tonumber(fields[2])
  if mode == "complete" and not due then
    status = "COMPLETED"
    redis.call("HSET", token, "s", status, "d", ARGV[2], "o", ARGV[4])
    moved = 1
  elseif mode == "timeout" or due then
    status = "TIMED_OUT"
    redis.call("HSET", token, "s", status, "d", ARGV[2])
    moved = 1
  elseif mode == "wait" then
    redis.call("HSET", token, "r:" .. ARGV[5], ARGV[6])
  end
  if moved == 1 then
    fields[3] = ARGV[2]
    redis.call("ZADD", KEYS[2], ARGV[2], id)
  end
end

local reply = {status, fields[2], fields[3] or "", fields[4] or "", moved}
if status ~= "WAITING" then
  appendWaiters(token, reply)
  if moved == 1 and #reply > 5 then
    redis.call("ZADD", KEYS[3], ARGV[2], id)
  end
end
return reply
