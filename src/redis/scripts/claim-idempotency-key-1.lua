--[[
  Claims a trigger idempotency key for a new run, or reports the run that holds it.

  KEYS[1] the key                          <prefix>:{<task>}:idem:<hash>

  ARGV[1] the new run's id
  ARGV[2] now (ms)
  ARGV[3] time to live (ms)

  Returns {"claimed"} or {"held", run id, claimed at (ms)}
]]
local held = redis.call("GET", KEYS[1])
if held then
  local space = string.find(held, " ", 1, true)
  return {"held", string.sub(held, 1, space - 1), string.sub(held, space + 1)}
end
redis.call("SET", KEYS[1], ARGV[1] .. " " .. ARGV[2], "PX", ARGV[3])
return {"claimed"}
