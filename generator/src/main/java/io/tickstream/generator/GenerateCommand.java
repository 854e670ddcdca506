package io.tickstream.generator;

import io.tickstream.generator.faults.FaultConfig;
import io.tickstream.generator.market.SymbolProfile;
import io.tickstream.generator.market.Universe;
import io.tickstream.generator.replay.ReplayConfig;
import io.tickstream.generator.sink.SinkSpec;
import io.tickstream.generator.sink.Sinks;
import io.tickstream.tick.TickTimestamps;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickstream generate}: simulate or replay ticks and send them to a sink. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Simulates a market (or replays a price history) and sends JSON ticks to stdout, files, Kafka"
          + " or Kinesis.",
      "Every option can also be set by an environment variable: --ticks-per-minute by"
          + " TICKSTREAM_TICKS_PER_MINUTE, and so on; arguments win.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  tickstream generate --symbols 5 --count 10",
      "  tickstream generate --speed max --duration 2h --sink file:./landing --gzip",
      "  tickstream generate --replay ../shared/data/indexProcessed-HSI.csv --replay-step 1s",
      "  tickstream generate --bad-rate 0.01 --dup-rate 0.01 --max-disorder 10s --sink"
          + " kafka:127.0.0.1:9092/ticks"
    })
public final class GenerateCommand implements Callable<Integer> {
  /** The default simulated start: the New York open on the first trading day of 2025. */
  public static final String DEFAULT_START = "2025-01-02T14:30:00Z";

  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      description = "Seed for every random choice (same flags, same seed: same bytes).")
  long seed = 42;

  @Option(
      names = "--symbols",
      description =
          "How many instruments (the 20 built-in large caps first, then synthetic SYN0001...), or a"
              + " comma-separated list of tickers.")
  String symbols = "20";

  @Option(
      names = "--start",
      description = "Simulated time of the first tick, ISO-8601 (UTC if no offset).")
  String start = DEFAULT_START;

  @Option(names = "--ticks-per-minute", description = "Ticks per symbol per simulated minute.")
  int ticksPerMinute = 60;

  @Option(
      names = "--speed",
      description =
          "Simulated time per wall time (1 = real time, 60 = a minute a second), or 'max'.")
  String speed = "1";

  @Option(
      names = "--rate",
      description = "Records per wall second at most, all symbols together; 0 = no limit.")
  double rate = 0;

  @Option(names = "--count", description = "Ticks to produce, then stop; 0 = no limit.")
  long count = 0;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Simulated time to cover, then stop (30s, 5m, 2h, PT2H); 0 = no limit.")
  Duration duration = Duration.ZERO;

  @Option(
      names = "--replay",
      paramLabel = "FILE",
      description = "Replay this CSV price history instead of simulating.")
  Path replay;

  @Option(
      names = "--column",
      paramLabel = "FIELD=HEADER",
      description =
          "Replay: map a tick field (symbol, timestamp, price, volume, market_cap, pe_ratio) to a"
              + " header, e.g. price=Adj Close. Repeatable. Default price=Close.")
  List<String> columns = new ArrayList<>();

  @Option(
      names = "--date-format",
      description =
          "Replay: date pattern such as dd/MM/yyyy or yyyy-MM-dd HH:mm; default ISO-8601.")
  String dateFormat;

  @Option(
      names = "--delimiter",
      description = "Replay: cell separator; default detected from the header (, TAB ; |).")
  String delimiter;

  @Option(
      names = "--replay-symbol",
      description = "Replay: symbol of every row, for files without a symbol column.")
  String replaySymbol;

  @Option(
      names = "--replay-step",
      converter = DurationConverter.class,
      description =
          "Replay: rebase event times to --start, one row of each symbol every STEP (e.g. 1s);"
              + " 0 keeps the file's own dates (a date alone is midnight UTC).")
  Duration replayStep = Duration.ZERO;

  @Option(
      names = "--bad-rate",
      description = "Fraction (0-1) of ticks replaced by a broken record.")
  double badRate = 0;

  @Option(
      names = "--dup-rate",
      description = "Fraction (0-1) of records followed by a resend of a recent one.")
  double dupRate = 0;

  @Option(
      names = "--max-disorder",
      converter = DurationConverter.class,
      description = "Emit ticks out of event-time order by up to this much simulated time.")
  Duration maxDisorder = Duration.ZERO;

  @Option(names = "--late-rate", description = "Fraction (0-1) of ticks held back by --late-by.")
  double lateRate = 0;

  @Option(
      names = "--late-by",
      converter = DurationConverter.class,
      description = "How far behind the rest a late tick is sent, in simulated time.")
  Duration lateBy = Duration.ofMinutes(5);

  @Option(
      names = "--sink",
      description = "Where to send: stdout, file:DIR, kafka:HOST:PORT/TOPIC or kinesis:STREAM.")
  String sink = "stdout";

  @Option(
      names = "--file-max-bytes",
      description = "file: roll a file before it passes this many bytes (uncompressed).")
  long fileMaxBytes = 64L << 20;

  @Option(
      names = "--file-roll-interval",
      converter = DurationConverter.class,
      description = "file: roll a file after this much simulated time.")
  Duration fileRollInterval = Duration.ofMinutes(5);

  // A flag's default is hidden unless asked for; TICKSTREAM_GZIP=true would otherwise not show.
  @Option(
      names = "--gzip",
      showDefaultValue = Help.Visibility.ALWAYS,
      description = "file: gzip the files.")
  boolean gzip;

  @Option(
      names = "--kinesis-endpoint",
      description =
          "kinesis: endpoint URL, e.g. http://127.0.0.1:4567 for kinesalite; default AWS's.")
  String kinesisEndpoint;

  @Option(names = "--region", description = "kinesis: AWS region.")
  String region = "us-east-1";

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description = "kafka: extra producer property, e.g. compression.type=zstd. Repeatable.")
  List<String> kafkaProperties = new ArrayList<>();

  @Option(
      names = "--progress-interval",
      converter = DurationConverter.class,
      description = "Wall time between progress lines on stderr; 0 = none.")
  Duration progressInterval = Duration.ofSeconds(5);

  @Override
  public Integer call() throws Exception {
    GeneratorConfig config = toConfig();
    return new GeneratorRun(config, spec.commandLine().getErr()).run();
  }

  /**
   * Checks every flag and converts them into one immutable config.
   *
   * @throws ParameterException naming the flag and the value
   */
  public GeneratorConfig toConfig() {
    long startMillis = parse("--start", start, TickTimestamps::parseMillis);
    if (ticksPerMinute < 1 || ticksPerMinute > 60_000) {
      throw bad("--ticks-per-minute", ticksPerMinute, "must be 1 to 60000");
    }
    double speedValue = parseSpeed();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw bad("--rate", rate, "must be a number of records per second, 0 or more");
    }
    if (count < 0) {
      throw bad("--count", count, "must be 0 (no limit) or more");
    }
    if (fileMaxBytes < 1024) {
      throw bad("--file-max-bytes", fileMaxBytes, "must be at least 1024");
    }
    if (fileRollInterval.isZero()) {
      throw bad("--file-roll-interval", "0", "must be positive");
    }
    if (replay != null && !Files.isReadable(replay)) {
      throw bad("--replay", replay, "is not a readable file");
    }
    List<SymbolProfile> profiles = parse("--symbols", symbols, this::profiles);
    FaultConfig faults =
        new FaultConfig(
            fraction("--bad-rate", badRate),
            fraction("--dup-rate", dupRate),
            maxDisorder,
            fraction("--late-rate", lateRate),
            lateBy);
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String c : columns) {
      String[] kv = keyValue("--column", c);
      if (!ReplayConfig.FIELDS.contains(kv[0])) {
        throw bad("--column", c, "names no tick field; one of " + ReplayConfig.FIELDS);
      }
      overrides.put(kv[0], kv[1]);
    }
    if (dateFormat != null) {
      parse("--date-format", dateFormat, java.time.format.DateTimeFormatter::ofPattern);
    }
    Character delim = null;
    if (delimiter != null) {
      String d = delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
      if (d.length() != 1) {
        throw bad("--delimiter", delimiter, "must be one character (or \\t / tab)");
      }
      delim = d.charAt(0);
    }
    if (replaySymbol != null && !io.tickstream.tick.TickParser.isValidSymbol(replaySymbol)) {
      throw bad("--replay-symbol", replaySymbol, "is not 1-12 characters of A-Z 0-9 . - ^");
    }
    ReplayConfig replayConfig =
        new ReplayConfig(
            overrides,
            dateFormat,
            delim,
            replaySymbol,
            startMillis,
            replayStep.isZero() ? null : replayStep.toMillis());
    SinkSpec sinkSpec = parse("--sink", sink, SinkSpec::parse);
    URI endpoint =
        kinesisEndpoint == null
            ? null
            : parse("--kinesis-endpoint", kinesisEndpoint, this::httpUri);
    Map<String, Object> kafka = new LinkedHashMap<>();
    for (String p : kafkaProperties) {
      String[] kv = keyValue("--kafka-property", p);
      kafka.put(kv[0], kv[1]);
    }
    return new GeneratorConfig(
        seed,
        profiles,
        startMillis,
        ticksPerMinute,
        speedValue,
        rate,
        count,
        duration,
        replay,
        replayConfig,
        faults,
        sinkSpec,
        new Sinks.Settings(fileMaxBytes, fileRollInterval, gzip, endpoint, region, kafka),
        progressInterval);
  }

  private List<SymbolProfile> profiles(String value) {
    if (value.matches("\\d+")) {
      int n = Integer.parseInt(value);
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException("must be 1 to 100000 symbols");
      }
      return Universe.first(n, seed);
    }
    return Universe.named(Arrays.asList(value.split(",")), seed);
  }

  private double parseSpeed() {
    if (speed.equalsIgnoreCase("max")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double s = Double.parseDouble(speed);
      if (s > 0 && Double.isFinite(s)) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("--speed", speed, "must be a positive number or 'max'");
  }

  private URI httpUri(String value) {
    URI uri = URI.create(value);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an http(s) URL such as http://127.0.0.1:4567");
    }
    return uri;
  }

  private double fraction(String flag, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw bad(flag, v, "must be a fraction between 0 and 1");
    }
    return v;
  }

  private String[] keyValue(String flag, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0 || eq == value.length() - 1) {
      throw bad(flag, value, "must be KEY=VALUE");
    }
    return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
  }

  private <T> T parse(String flag, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw bad(flag, value, e.getMessage());
    }
  }

  private ParameterException bad(String flag, Object value, String why) {
    String shown = typed(flag, value);
    String msg = why.startsWith("'" + shown + "'") ? why : "'" + shown + "' " + why;
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + flag + "': " + msg);
  }

  /**
   * A converted value as the user typed it ({@code --bad-rate 2}, not {@code 2.0}), so the message
   * quotes what they wrote; the converted form when it came from the environment.
   */
  private String typed(String flag, Object converted) {
    if (!(converted instanceof String)) {
      List<String> typed = spec.findOption(flag).originalStringValues();
      if (typed.size() == 1) {
        return typed.get(0);
      }
    }
    return String.valueOf(converted);
  }

  /** Converts {@code 30s}, {@code 5m}, {@code PT2H} and friends. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
