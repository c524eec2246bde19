--[[
  Registers a run as waiting on another (its child), in the child's slot, unless the child has
  already ended — then the caller reads the child's result itself. Atomic with finish-run, so a
  waiter is either registered before the child's end (and woken by it) or told it has ended.

  KEYS[1] the child's hash
  KEYS[2] the child's BullMQ job (gone once it has expired, or never there)

  ARGV[1] the waiting run's id
  ARGV[2] the waiting run's queue, followed by " alone" when it waits on nothing else

  Returns {"done", the child's result JSON}, {"waiting"}, or {"missing"} for no such run.
]]
local child = KEYS[1]
local done = redis.call("HGET", child, "done")
if done then
  return {"done", done}
end
if redis.call("EXISTS", KEYS[2]) == 0 then
  return {"missing"}
end
if redis.call("HSETNX", child, "r:" .. ARGV[1], ARGV[2]) == 1 then
  redis.call("HINCRBY", child, "rw", 1)
end
return {"waiting"}
