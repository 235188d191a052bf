-- wrk script: POST /statement/confirm/TOKEN for each token in $BENCH_TOKENS (one per line),
-- each wrk thread taking every Nth; with the anonymous visitor's cookie and CSRF token from
-- $BENCH_COOKIE and $BENCH_CSRF. A thread out of tokens repeats its last one (answered as
-- "already confirmed"), so count only the requests up to the number of tokens.
local tokens = {}
local position = 0
local next_id = 0
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

function init(args)
  local id = tonumber(wrk.thread:get("thread_id")) or 0
  local index = 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if index % thread_count == id then
      table.insert(tokens, line)
    end
    index = index + 1
  end
end

request = function()
  if position < #tokens then
    position = position + 1
  end
  local token = tokens[position] or "none"
  return wrk.format("POST", "/statement/confirm/" .. token, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = os.getenv("BENCH_COOKIE"),
  }, "_csrf=" .. os.getenv("BENCH_CSRF"))
end
