--[[
  The runs waiting on a run, or on a token beyond its first waiter: the "r:<run id>" fields of
  the run's hash or the token's details, appended to `reply` as
  run id, value pairs (the value is the run's queue, followed by " alone" when it waits on
  nothing else). Redis picks the fields out (HSCAN ... MATCH), so the rest of the hash — a run's
  journal, a token's output — is not copied into Lua. Nothing touches the hash between pages, so
  it is not rehashed midway and no field comes back twice.
]]
local function appendWaiters(hash, reply)
  local cursor = "0"
  repeat
    local page = redis.call("HSCAN", hash, cursor, "MATCH", "r:*", "COUNT", 1000)
    cursor = page[1]
    local found = page[2]
    for i = 1, #found, 2 do
      table.insert(reply, string.sub(found[i], 3))
      table.insert(reply, found[i + 1])
    end
  until cursor == "0"
  return reply
end
