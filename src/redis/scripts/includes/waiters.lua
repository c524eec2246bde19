--[[
  The runs waiting on a run, or on a token beyond its first waiter: the "r:<run id>" fields of
  the run's hash or the token's details, appended to `reply` as
  run id, value pairs (the value is the run's queue, followed by " alone" when it waits on
  nothing else).
]]
local function appendWaiters(hash, reply)
  local all = redis.call("HGETALL", hash)
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == "r:" then
      table.insert(reply, string.sub(all[i], 3))
      table.insert(reply, all[i + 1])
    end
  end
  return reply
end
