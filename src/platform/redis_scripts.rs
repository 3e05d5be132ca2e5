//! The Lua scripts the Redis cache runs for leaderboards (each atomic on the server).

/// `RedisCache::board_put` as one atomic script: for each (member, score, version, sets), when
/// the version is newer than the member's last, leave the sets it is no longer in and set its
/// score in the others. The sets share the board's hash tag (one slot).
pub(super) static BOARD_PUT: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
    redis::Script::new(
        r#"
local prefix = ARGV[1]
for i = 2, #ARGV, 4 do
  local member, score, version, sets = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local last = tonumber(redis.call('HGET', KEYS[1], member) or '-1')
  if version > last then
    redis.call('HSET', KEYS[1], member, version)
    local new = {}
    for s in string.gmatch(sets, '[^,]+') do new[s] = true end
    local old = redis.call('HGET', KEYS[2], member) or ''
    for s in string.gmatch(old, '[^,]+') do
      if not new[s] then redis.call('ZREM', prefix .. s, member) end
    end
    for s in pairs(new) do
      redis.call('ZADD', prefix .. s, score, member)
      redis.call('SADD', KEYS[3], s)
    end
    redis.call('HSET', KEYS[2], member, sets)
  end
end
return 0
"#,
    )
});

/// [`RedisCache::board_drop`]: every set the board wrote, then its bookkeeping.
pub(super) static BOARD_DROP: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
    redis::Script::new(
        r#"
for _, s in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', ARGV[1] .. s) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 0
"#,
    )
});

/// [`RedisCache::board_read`]: the generation, then the page, the size and the member's place in
/// that generation's set, in one round trip. The set shares the pointer's hash tag (one slot).
pub(super) static BOARD_READ: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
    redis::Script::new(
        r#"
local g = redis.call('GET', KEYS[1])
if not g then return false end
local set = ARGV[1] .. g .. ':' .. ARGV[2]
local n = tonumber(ARGV[3])
local top = {}
if n > 0 then top = redis.call('ZREVRANGE', set, 0, n - 1, 'WITHSCORES') end
local len = redis.call('ZCARD', set)
local score, above, at_most = false, 0, 0
if ARGV[4] ~= '' then
  score = redis.call('ZSCORE', set, ARGV[4])
  if score then
    local bucket = tonumber(ARGV[5])
    local edge = string.format('%.0f', math.ceil(tonumber(score) / bucket) * bucket)
    above = redis.call('ZCOUNT', set, '(' .. edge, '+inf')
    at_most = len - above
  end
end
return {g, top, len, score, above, at_most}
"#,
    )
});
