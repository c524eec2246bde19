--[[
  Moves a trigger idempotency key from one run to another — or releases it — only if it still
  names the run the caller saw, so two triggers that both find the key released cannot both
  take it.

  KEYS[1] the key

  ARGV[1] the run id the key must name now
  ARGV[2] the new run id, or "" to release the key
  ARGV[3] now (ms)
  ARGV[4] time to live (ms)

  Returns 1 if the key was moved or released, 0 if it names another run.
]]
local held = redis.call("GET", KEYS[1])
if not held or string.sub(held, 1, #ARGV[1] + 1) ~= ARGV[1] .. " " then
  return 0
end
if ARGV[2] == "" then
  redis.call("DEL", KEYS[1])
else
  redis.call("SET", KEYS[1], ARGV[2] .. " " .. ARGV[3], "PX", ARGV[4])
end
return 1
