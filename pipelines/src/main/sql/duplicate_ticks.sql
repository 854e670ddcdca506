-- Event ids stored more than once: resends that came after the deduplication window had passed.
SELECT
  min(dt) AS dt,
  event_id,
  symbol,
  count(*) AS copies,
  min("timestamp") AS first_event_time,
  max("timestamp") AS last_event_time
FROM ticks
GROUP BY event_id, symbol
HAVING count(*) > 1
ORDER BY dt, event_id
