--[[
  Sets finished runs of one queue to expire, as expire-run does for one: each run's hash and the
  buffers of the input streams it lists, at the moment given for it; and says which runs have
  waiters their end has not woken yet. The runs' keys sit in the queue's slot (their ids carry its
  tag), which KEYS[1] names.

  KEYS[1] the queue's retention cursor        <prefix>:{<tag>}:queue:<queue>:retention-cursor

  ARGV[1..] pairs: a run's hash (<prefix>:{<tag>}:run_…), when to expire it (ms)

  Returns, for each pair, 0 if there is no such run, 2 if runs wait on it that its end has not
  woken yet (its executor died first, or it ran without knowing it had waiters), else 1.
]]
--- @include "expire-run"

local replies = {}
for i = 1, #ARGV, 2 do
  replies[#replies + 1] = expireRun(ARGV[i], ARGV[i + 1])
end
return replies
