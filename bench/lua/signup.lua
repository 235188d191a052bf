-- wrk script: unique sign-ups to POST /api/v1/signatures (individuals, alternating shown/hidden,
-- spread over 64 domains so the per-domain limit is not what is measured).
local counter = 0
local thread_id = 0
local run = os.getenv("BENCH_RUN") or "0"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  thread_id = tonumber(wrk.thread:get("thread_id")) or 0
end

local countries = {"GB", "AU", "CA", "NZ", "FR", "DE", "BR", "JP", "KE", "IN", "EG", "MX"}

request = function()
  counter = counter + 1
  local id = run .. "-" .. thread_id .. "-" .. counter
  local body = '{"kind":"individual","name":"Bench Signer ' .. id .. '","email":"signer' .. id ..
      '@bench' .. (counter % 64) .. '.example","country":"' .. countries[(counter % #countries) + 1] ..
      '","public":' .. ((counter % 2 == 0) and "true" or "false") .. ',"lang":"en"}'
  return wrk.format("POST", "/api/v1/signatures", {["Content-Type"] = "application/json"}, body)
end
