-- Per hour of event time: the ticks stored, those counted in a 1-minute bar, and the late ones
-- (behind their symbol's clock when they arrived: stored, but in no bar).
WITH stored AS (
  SELECT dt, hour, count(*) AS ticks
  FROM ticks
  GROUP BY dt, hour
),
in_bars AS (
  SELECT dt, hour(window_start) AS bar_hour, sum(tick_count) AS on_time
  FROM bars_1m
  GROUP BY dt, hour(window_start)
)
SELECT
  s.dt,
  s.hour,
  s.ticks,
  coalesce(b.on_time, 0) AS on_time,
  s.ticks - coalesce(b.on_time, 0) AS late
FROM stored s
LEFT JOIN in_bars b ON b.dt = s.dt AND b.bar_hour = s.hour
ORDER BY s.dt, s.hour
