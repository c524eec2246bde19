--[[
  Marks a run ended for the runs waiting on it, once, keeping its result for them in "done", and
  hands back its waiters so the caller can wake them. A waiter that registers afterwards is told
  the run is done and given the result (wait-on-run) — the run's job may not show the end yet:
  the executor marks the run before BullMQ completes its job.

  KEYS[1] the run's hash

  ARGV[1] the run's result as JSON: {"ok":true,"output":...} or {"ok":false,"error":{...}}

  Returns {"1", then the waiters as run id, queue (as registered) pairs} when this call marked
  the run, {"0"} when it was already marked.
]]
--- @include "waiters"

local run = KEYS[1]
if redis.call("HSETNX", run, "done", ARGV[1]) == 0 then
  return {"0"}
end
return appendWaiters(run, {"1"})
