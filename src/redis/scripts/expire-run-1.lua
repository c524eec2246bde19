--[[
  Sets a finished run to expire: its hash (record, journal, wait results) and the buffers of the
  input streams it lists, all at the same moment; and says whether its waiters still need waking.

  KEYS[1] the run's hash                  <prefix>:{<tag>}:run_…

  ARGV[1] when to expire (ms since the epoch)

  Returns 0 if there is no such run, 2 if runs wait on it that its end has not woken yet (its
  executor died first, or it ran without knowing it had waiters), else 1.
]]
--- @include "expire-run"

return expireRun(KEYS[1], ARGV[1])
