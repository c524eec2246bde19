--[[
  Sends a value to a run's input stream. If the run waits on the stream (a pending wait is
  linked to it), the value settles that wait at once, in the run's own slot; otherwise it joins
  the stream's buffer, in order, for the run's next wait, and is announced to the run's live
  listeners (`.on()`, `.once()`) if it is executing. Either way it is never lost. The run's
  hash lists the streams that have buffers ("streams", space-separated), so they expire with it.

  KEYS[1] the run's hash
  KEYS[2] the stream's buffer (list)
  KEYS[3] the run's BullMQ job (a run without one has ended, or never was)

  ARGV[1] stream id
  ARGV[2] value as JSON
  ARGV[3] most values the buffer may hold
  ARGV[4] the channel to announce a buffered value on (the executing run's listeners hear it)
  ARGV[5] the run id

  Returns {"missing"} for no such run, {"full"} when the buffer is at its bound,
          {"buffered", values buffered}, or {"delivered", waitpoint id, waits still pending}
]]
local run = KEYS[1]
if redis.call("EXISTS", KEYS[3]) == 0 then
  return {"missing"}
end
local link = "s:" .. ARGV[1]
local waitpoint = redis.call("HGET", run, link)
if waitpoint and redis.call("HGET", run, "w:" .. waitpoint) == "" then
  redis.call("HSET", run, "w:" .. waitpoint, '{"ok":true,"output":' .. ARGV[2] .. '}')
  redis.call("HDEL", run, link)
  return {"delivered", waitpoint, redis.call("HINCRBY", run, "pw", -1)}
end
if redis.call("LLEN", KEYS[2]) >= tonumber(ARGV[3]) then
  return {"full"}
end
local streams = redis.call("HGET", run, "streams") or ""
if not string.find(" " .. streams .. " ", " " .. ARGV[1] .. " ", 1, true) then
  redis.call("HSET", run, "streams", streams == "" and ARGV[1] or streams .. " " .. ARGV[1])
end
local buffered = redis.call("RPUSH", KEYS[2], ARGV[2])
redis.call("PUBLISH", ARGV[4], ARGV[5] .. " " .. ARGV[1])
return {"buffered", buffered}
