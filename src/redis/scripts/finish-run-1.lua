--[[
  Marks a run ended for the runs waiting on it, once, and hands back those waiters so the caller
  can wake them. A waiter that registers afterwards is told the run is done (wait-on-run).

  KEYS[1] the run's hash

  Returns the waiters as run id, queue (as registered) pairs — none if the run was already marked.
]]
--- @include "waiters"

local run = KEYS[1]
if redis.call("HSETNX", run, "done", "1") == 0 then
  return {}
end
return appendWaiters(run, {})
