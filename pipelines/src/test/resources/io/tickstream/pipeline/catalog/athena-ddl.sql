CREATE DATABASE IF NOT EXISTS `tickstream`
COMMENT 'tickstream lake at s3://tickstream-lake/prod';

CREATE EXTERNAL TABLE IF NOT EXISTS `tickstream`.`ticks` (
  `event_id` string COMMENT 'Unique per tick; a resend of the same tick keeps it',
  `symbol` string COMMENT 'Instrument symbol, 1-12 characters of A-Z 0-9 . - ^',
  `price` double COMMENT 'Trade price in the instrument currency, greater than zero',
  `volume` bigint COMMENT 'Shares traded, zero or more',
  `timestamp` timestamp COMMENT 'Event time, UTC, millisecond precision',
  `market_cap` double COMMENT 'Market capitalisation in the instrument currency, null when unknown',
  `pe_ratio` double COMMENT 'Price over earnings per share, null when unknown'
)
COMMENT 'Every tick as parsed and deduplicated, by event time'
PARTITIONED BY (
  `dt` string COMMENT 'partition: UTC date of timestamp, yyyy-MM-dd',
  `hour` int COMMENT 'partition: UTC hour of timestamp, 00-23'
)
STORED AS PARQUET
LOCATION 's3://tickstream-lake/prod/ticks/'
TBLPROPERTIES (
  'classification'='parquet',
  'parquet.compression'='SNAPPY',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.type'='date',
  'projection.enabled'='true',
  'projection.hour.digits'='2',
  'projection.hour.range'='0,23',
  'projection.hour.type'='integer',
  'storage.location.template'='s3://tickstream-lake/prod/ticks/dt=${dt}/hour=${hour}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `tickstream`.`bars_1m` (
  `symbol` string COMMENT 'Instrument symbol',
  `window_start` timestamp COMMENT 'Inclusive start of the minute, UTC',
  `window_end` timestamp COMMENT 'Exclusive end of the minute, UTC',
  `open` double COMMENT 'Price of the first tick by event time',
  `high` double COMMENT 'Highest price in the minute',
  `low` double COMMENT 'Lowest price in the minute',
  `close` double COMMENT 'Price of the last tick by event time',
  `volume` bigint COMMENT 'Shares traded in the minute',
  `vwap` double COMMENT 'Volume-weighted average price; the mean price when the volume is 0',
  `tick_count` bigint COMMENT 'Unique on-time ticks in the minute'
)
COMMENT 'One-minute OHLCV bars per symbol, by window start'
PARTITIONED BY (
  `dt` string COMMENT 'partition: UTC date of window_start, yyyy-MM-dd'
)
STORED AS PARQUET
LOCATION 's3://tickstream-lake/prod/bars_1m/'
TBLPROPERTIES (
  'classification'='parquet',
  'parquet.compression'='SNAPPY',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.type'='date',
  'projection.enabled'='true',
  'storage.location.template'='s3://tickstream-lake/prod/bars_1m/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `tickstream`.`signals` (
  `symbol` string COMMENT 'Instrument symbol',
  `ts` timestamp COMMENT 'Window end of the bar that decided the signal, UTC',
  `side` string COMMENT 'BUY when the fast mean crosses above the slow one, SELL when below',
  `price` double COMMENT 'Close of the deciding bar',
  `fast` double COMMENT 'Fast simple moving average of closes at the crossing',
  `slow` double COMMENT 'Slow simple moving average of closes at the crossing',
  `strategy` string COMMENT 'Strategy that produced the signal, e.g. sma_5_20'
)
COMMENT 'Moving-average crossover signals, by signal time'
PARTITIONED BY (
  `dt` string COMMENT 'partition: UTC date of ts, yyyy-MM-dd'
)
STORED AS PARQUET
LOCATION 's3://tickstream-lake/prod/signals/'
TBLPROPERTIES (
  'classification'='parquet',
  'parquet.compression'='SNAPPY',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.type'='date',
  'projection.enabled'='true',
  'storage.location.template'='s3://tickstream-lake/prod/signals/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `tickstream`.`positions` (
  `symbol` string COMMENT 'Instrument symbol',
  `strategy` string COMMENT 'Strategy holding the position',
  `qty` bigint COMMENT 'Shares held',
  `entry_time` timestamp COMMENT 'When the position was opened, UTC',
  `entry_price` double COMMENT 'Price the position was opened at',
  `mark_price` double COMMENT 'Close of the marking bar',
  `unrealized_pnl` double COMMENT '(mark - entry) x qty, before fees',
  `as_of` timestamp COMMENT 'Window end of the marking bar, UTC'
)
COMMENT 'Open-position snapshots marked at each bar close, by mark time'
PARTITIONED BY (
  `dt` string COMMENT 'partition: UTC date of as_of, yyyy-MM-dd'
)
STORED AS PARQUET
LOCATION 's3://tickstream-lake/prod/positions/'
TBLPROPERTIES (
  'classification'='parquet',
  'parquet.compression'='SNAPPY',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.type'='date',
  'projection.enabled'='true',
  'storage.location.template'='s3://tickstream-lake/prod/positions/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `tickstream`.`trades` (
  `trade_id` string COMMENT 'SYMBOL-<entry time in epoch ms>',
  `symbol` string COMMENT 'Instrument symbol',
  `strategy` string COMMENT 'Strategy that made the trade',
  `qty` bigint COMMENT 'Shares bought and sold',
  `entry_time` timestamp COMMENT 'When the position was opened, UTC',
  `entry_price` double COMMENT 'Price the position was opened at',
  `exit_time` timestamp COMMENT 'When the position was closed, UTC',
  `exit_price` double COMMENT 'Price the position was closed at',
  `pnl` double COMMENT '(exit - entry) x qty minus fees on both legs',
  `return_pct` double COMMENT 'pnl / (entry x qty) x 100',
  `holding_seconds` bigint COMMENT 'Seconds from entry to exit'
)
COMMENT 'Closed round-trip trades with their P&L, by exit time'
PARTITIONED BY (
  `dt` string COMMENT 'partition: UTC date of exit_time, yyyy-MM-dd'
)
STORED AS PARQUET
LOCATION 's3://tickstream-lake/prod/trades/'
TBLPROPERTIES (
  'classification'='parquet',
  'parquet.compression'='SNAPPY',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.type'='date',
  'projection.enabled'='true',
  'storage.location.template'='s3://tickstream-lake/prod/trades/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `tickstream`.`dead_letter` (
  `received_at` timestamp COMMENT 'Wall-clock time the pipeline rejected the record, UTC',
  `event_time` timestamp COMMENT 'Best known event time: the record timestamp if readable, else its source time',
  `source` string COMMENT 'Where the record came from, e.g. kafka:host:9092/ticks or file:/data/ticks.jsonl',
  `position` string COMMENT 'Where in the source, e.g. partition=3 offset=1200 or line=17',
  `payload` string COMMENT 'The raw record: text, or base64 when it is not UTF-8',
  `payload_encoding` string COMMENT 'utf8 or base64',
  `error_code` string COMMENT 'Why it was rejected, e.g. MALFORMED_JSON',
  `error_message` string COMMENT 'The rejection in words',
  `step` string COMMENT 'The pipeline step that rejected it, e.g. ParseTicks'
)
COMMENT 'Records that could not become ticks, with the raw payload and the reason, by best known event time'
PARTITIONED BY (
  `dt` string COMMENT 'partition: UTC date of event_time, yyyy-MM-dd'
)
STORED AS PARQUET
LOCATION 's3://tickstream-lake/prod/dead_letter/'
TBLPROPERTIES (
  'classification'='parquet',
  'parquet.compression'='SNAPPY',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.type'='date',
  'projection.enabled'='true',
  'storage.location.template'='s3://tickstream-lake/prod/dead_letter/dt=${dt}/'
);
