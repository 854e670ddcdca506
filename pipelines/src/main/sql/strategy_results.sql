-- Per symbol and strategy: trades, win rate, total and average P&L, best and worst trade, and the
-- max drawdown of cumulative P&L (the deepest fall from its running peak, the start counting as 0).
WITH cumulative AS (
  SELECT
    symbol,
    strategy,
    pnl,
    exit_time,
    trade_id,
    sum(pnl) OVER (
      PARTITION BY symbol, strategy
      ORDER BY exit_time, trade_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum_pnl
  FROM trades
),
drawdowns AS (
  SELECT
    symbol,
    strategy,
    pnl,
    greatest(
      CAST(0 AS DOUBLE),
      max(cum_pnl) OVER (
        PARTITION BY symbol, strategy
        ORDER BY exit_time, trade_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) - cum_pnl AS drawdown
  FROM cumulative
)
SELECT
  symbol,
  strategy,
  count(*) AS trades,
  sum(CASE WHEN pnl > 0 THEN 1 ELSE 0 END) AS winners,
  CAST(sum(CASE WHEN pnl > 0 THEN 1 ELSE 0 END) AS DOUBLE) / count(*) AS win_rate,
  sum(pnl) AS total_pnl,
  avg(pnl) AS avg_pnl,
  max(pnl) AS best_trade,
  min(pnl) AS worst_trade,
  max(drawdown) AS max_drawdown
FROM drawdowns
GROUP BY symbol, strategy
ORDER BY total_pnl DESC, symbol, strategy
