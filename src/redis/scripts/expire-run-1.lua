--[[
  Sets a finished run to expire: its hash (record, journal, wait results) and the buffers of the
  input streams it lists, all at the same moment; and says whether its waiters still need waking.

  KEYS[1] the run's hash                  <prefix>:{run_…}:run

  ARGV[1] when to expire (ms since the epoch)
  ARGV[2] prefix of the run's keys        <prefix>:{run_…}:

  Returns 0 if there is no such run, 2 if runs wait on it that its end has not woken yet (its
  executor died first, or it ran without knowing it had waiters), else 1.
]]
if redis.call("PEXPIREAT", KEYS[1], ARGV[1]) == 0 then
  return 0
end
local streams = redis.call("HGET", KEYS[1], "streams")
if streams then
  for stream in string.gmatch(streams, "%S+") do
    redis.call("PEXPIREAT", ARGV[2] .. "stream:" .. stream, ARGV[1])
  end
end
if redis.call("HEXISTS", KEYS[1], "rw") == 1 and redis.call("HEXISTS", KEYS[1], "done") == 0 then
  return 2
end
return 1
