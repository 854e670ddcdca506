-- Total volume and latest update per symbol on one day, busiest first.
-- param day: the UTC day, yyyy-MM-dd
SELECT
  symbol,
  sum(volume) AS total_volume,
  max("timestamp") AS latest_update
FROM ticks
WHERE dt = ?
GROUP BY symbol
ORDER BY total_volume DESC, symbol
