-- wrk script: every request has its own URL, so no answer comes from the cache.
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", wrk.path .. "&n=" .. n)
end
