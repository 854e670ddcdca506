-- Rejected records per day, by reason and by the step that rejected them.
SELECT
  dt,
  error_code,
  step,
  count(*) AS records
FROM dead_letter
GROUP BY dt, error_code, step
ORDER BY dt, records DESC, error_code, step
