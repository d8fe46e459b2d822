-- wrk script: 16 requests for /plain sent back to back on each connection (HTTP pipelining), as the
-- TechEmpower plaintext test does. wrk counts each response.
init = function(args)
  local requests = {}
  for i = 1, 16 do
    requests[i] = wrk.format(nil, "/plain")
  end
  batch = table.concat(requests)
end

request = function()
  return batch
end
