--[[
  Moves a queue's priorities to the priority grid of a later period (see engine/priority.ts):
  every stored priority drops by one period's worth of seconds per period passed, clamped to
  1. Prioritized runs are re-scored in place, keeping the insertion counter BullMQ breaks ties
  with (score = priority * 2^32 + counter); delayed (parked, backing off), active and waiting
  runs have the priority field of their job updated, which BullMQ uses when they next queue.

  KEYS[1] the period the queue's priorities are on     <prefix>:{<queue>}:priority-period
  KEYS[2] BullMQ prioritized (zset)
  KEYS[3] BullMQ delayed (zset)
  KEYS[4] BullMQ active (list)
  KEYS[5] BullMQ wait (list)

  ARGV[1] prefix of the queue's BullMQ job keys        <bull prefix>:<queue>:
  ARGV[2] the period to move to
  ARGV[3] seconds per period

  Returns the number of runs whose priority changed (0 when the queue is on that period or
  later, or had no period yet — it is then set).
]]
local target = tonumber(ARGV[2])
local current = tonumber(redis.call("GET", KEYS[1]))
if current == nil or current >= target then
  if current == nil then
    redis.call("SET", KEYS[1], target)
  end
  return 0
end
local shift = (target - current) * tonumber(ARGV[3])
local changed = 0

local function shifted(priority)
  return math.max(1, priority - shift)
end

local scored = redis.call("ZRANGE", KEYS[2], 0, -1, "WITHSCORES")
for i = 1, #scored, 2 do
  local id = scored[i]
  local score = tonumber(scored[i + 1])
  local priority = math.floor(score / 4294967296)
  local counter = score - priority * 4294967296
  local moved = shifted(priority)
  if moved ~= priority then
    redis.call("ZADD", KEYS[2], moved * 4294967296 + counter, id)
    redis.call("HSET", ARGV[1] .. id, "priority", moved)
    changed = changed + 1
  end
end

local function shiftFields(ids)
  for _, id in ipairs(ids) do
    local priority = tonumber(redis.call("HGET", ARGV[1] .. id, "priority"))
    if priority and priority > 0 then
      redis.call("HSET", ARGV[1] .. id, "priority", shifted(priority))
      changed = changed + 1
    end
  end
end
shiftFields(redis.call("ZRANGE", KEYS[3], 0, -1))
shiftFields(redis.call("LRANGE", KEYS[4], 0, -1))
shiftFields(redis.call("LRANGE", KEYS[5], 0, -1))

redis.call("SET", KEYS[1], target)
return changed
