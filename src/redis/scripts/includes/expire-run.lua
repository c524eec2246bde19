--[[
  expireRun(run, at): sets the run whose hash is `run` to expire at `at` (ms): the hash and the
  buffers of the input streams it lists (keys `run` .. ":stream:" .. stream id). Returns 0 if
  there is no such run, 2 if runs wait on it that its end has not woken yet, else 1.
]]
local function expireRun(run, at)
  if redis.call("PEXPIREAT", run, at) == 0 then
    return 0
  end
  local streams = redis.call("HGET", run, "streams")
  if streams then
    for stream in string.gmatch(streams, "%S+") do
      redis.call("PEXPIREAT", run .. ":stream:" .. stream, at)
    end
  end
  if redis.call("HEXISTS", run, "rw") == 1 and redis.call("HEXISTS", run, "done") == 0 then
    return 2
  end
  return 1
end
