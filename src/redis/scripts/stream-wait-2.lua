--[[
  A run's wait on its input stream, backed by waitpoint ARGV[2]: takes the oldest buffered value
  if there is one (recording it as the wait's result in the same step, so a crash cannot lose
  it), else links the stream to the waitpoint and marks the wait pending, so the next send —
  even one that arrives before the run has parked — settles it.

  KEYS[1] the run's hash
  KEYS[2] the stream's buffer (list)

  ARGV[1] stream id
  ARGV[2] waitpoint id

  Returns {"settled", result JSON} or {"pending"}
]]
local run = KEYS[1]
local field = "w:" .. ARGV[2]
local held = redis.call("HGET", run, field)
if held and held ~= "" then
  return {"settled", held}
end
local value = redis.call("LPOP", KEYS[2])
if value then
  local result = '{"ok":true,"output":' .. value .. '}'
  redis.call("HSET", run, field, result)
  return {"settled", result}
end
redis.call("HSET", run, "s:" .. ARGV[1], ARGV[2], field, "")
return {"pending"}
