--[[
  Settles a run's wait on a waitpoint. The run's hash holds, per waitpoint it waited on, "w:<id>":
  "" while the wait is pending, then the result; and "pw", how many waits its park still needs.
  The first settling of a pending wait records the result and counts "pw" down; whoever brings
  it to 0 wakes the run. A result for a wait the run has not marked pending is recorded too
  (so a replay finds it), without counting. Nothing is written to a run that no longer exists.

  KEYS[1] the run's hash
  KEYS[2] the run's BullMQ job (a run without one has ended, or never was)

  ARGV[1] waitpoint id
  ARGV[2] result JSON: {"ok":true,"output":...} or {"ok":false,"error":{...}}

  Returns {waits still pending, or -1 if this call counted nothing, or -2 for no such run;
           the result the run holds if another call recorded it first, else "" (it holds the
           one this call sent, which the caller has: a result can be large, so it is not echoed);
           the waits its latest park still needs}
]]
local run = KEYS[1]
if redis.call("EXISTS", KEYS[2]) == 0 then
  return {-2, "", 0}
end
local field = "w:" .. ARGV[1]
local held = redis.call("HGET", run, field)
if held == "" then
  redis.call("HSET", run, field, ARGV[2])
  local pending = redis.call("HINCRBY", run, "pw", -1)
  return {pending, "", pending}
end
if not held then
  redis.call("HSET", run, field, ARGV[2])
  held = ""
end
return {-1, held, tonumber(redis.call("HGET", run, "pw") or "0")}
