-- Average price and number of ticks per symbol on one day.
-- param day: the UTC day, yyyy-MM-dd
SELECT
  symbol,
  avg(price) AS avg_price,
  count(*) AS ticks
FROM ticks
WHERE dt = ?
GROUP BY symbol
ORDER BY symbol
