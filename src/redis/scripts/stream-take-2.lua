--[[
  Takes values from a run's input stream buffer for a listener of the executing run, journaling
  them in the same step, so a value is never lost between the buffer and the run, nor taken
  twice.

  KEYS[1] the run's hash
  KEYS[2] the stream's buffer (list)

  ARGV[1] the listener's journal field (j:<position>)
  ARGV[2] mode: "once"  take the oldest value for a `.once()`: journal it as ARGV[3] .. value .. "]"
                "on"    take up to ARGV[5] values for an `.on()` subscription, journaled as ARGV[3],
                        appending them to the JSON array in field ARGV[4]
  ARGV[3] the entry (on), or its beginning (once)
  ARGV[4] the field of values handed to the subscription (on)
  ARGV[5] most values to take (on)

  Returns, for once: {"journaled", entry} if the position holds an entry already, {"taken", entry},
                     or {"empty"};
          for on:    {"values", value...} (none when the buffer is empty)
]]
local run = KEYS[1]
if ARGV[2] == "once" then
  local journaled = redis.call("HGET", run, ARGV[1])
  if journaled then
    return {"journaled", journaled}
  end
  local value = redis.call("LPOP", KEYS[2])
  if not value then
    return {"empty"}
  end
  local entry = ARGV[3] .. value .. "]"
  redis.call("HSET", run, ARGV[1], entry)
  return {"taken", entry}
end

redis.call("HSETNX", run, ARGV[1], ARGV[3])
local values = redis.call("LPOP", KEYS[2], tonumber(ARGV[5]))
local reply = {"values"}
if not values then
  return reply
end
local handed = redis.call("HGET", run, ARGV[4])
local joined = table.concat(values, ",")
if handed then
  redis.call("HSET", run, ARGV[4], string.sub(handed, 1, -2) .. "," .. joined .. "]")
else
  redis.call("HSET", run, ARGV[4], "[" .. joined .. "]")
end
for i = 1, #values do
  table.insert(reply, values[i])
end
return reply
