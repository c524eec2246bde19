--[[
  Marks a run parked before its job moves to the delayed set: what it waits on (for
  runs.retrieve), its execution time so far, its start time if unset, and each waitpoint it
  waits on as pending ("") unless a result is already recorded; "pw" counts the pending ones.
  Written before the run registers with any token, so a completion racing the park finds the
  wait pending and counts it down.

  KEYS[1] the run's hash

  ARGV[1] what the run waits on, as JSON
  ARGV[2] execution time so far (ms)
  ARGV[3] start time of its first execution (ms)
  ARGV[4..] ids of the waitpoints it waits on

  Returns the number of waits still pending, or -1 (writing nothing) if the run is to be canceled.
]]
local run = KEYS[1]
if redis.call("HGET", run, "cancel") == "1" then
  return -1
end
local pending = 0
for i = 4, #ARGV do
  local field = "w:" .. ARGV[i]
  local held = redis.call("HGET", run, field)
  if not held then
    redis.call("HSET", run, field, "")
    pending = pending + 1
  elseif held == "" then
    pending = pending + 1
  end
end
redis.call("HSET", run, "pw", pending, "waitingOn", ARGV[1], "executionMs", ARGV[2])
redis.call("HSETNX", run, "startedAt", ARGV[3])
return pending
