package io.tickstream.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstream.pipeline.catalog.LakeCatalog;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The stack's settings, read once from stack config with defaults and checked together; a mistake
 * is one line naming the key and the value.
 *
 * @param region the AWS region ({@code aws:region})
 * @param env the environment name, part of every physical name ({@code tickstream-<env>-...})
 * @param vpcCidr the VPC's IPv4 /16
 * @param availabilityZones the zones of the private subnets, two or more
 * @param provisionedShards empty for an on-demand stream, else its shard count
 * @param streamRetentionHours how long the stream keeps records
 * @param lakeVersioning whether the buckets keep object versions
 * @param landingExpireDays after how many days landing files are deleted
 * @param lakeInfrequentAccessDays after how many days lake files move to STANDARD_IA
 * @param resultsExpireDays after how many days Athena results are deleted
 * @param logRetentionDays how long CloudWatch keeps the producer's logs
 * @param imageTag the generator image's tag in the stack's ECR repository
 * @param producerCpu the Fargate task's CPU units
 * @param producerMemoryMb the Fargate task's memory
 * @param producerCount how many generator tasks run
 * @param generatorFlags generator flags without {@code --} and their values (the sink is the
 *     stack's stream, always)
 * @param emrRelease the EMR release label, one that ships Flink 1.19
 * @param emrPrimaryType the primary node's instance type
 * @param emrCoreType the core nodes' instance type
 * @param emrCoreCount how many core nodes
 * @param glueDatabase the Glue database of the lake's tables
 * @param lakeFirstDay the first day of the tables' {@code dt} projection
 * @param athenaBytesScannedCutoffMb the most one Athena query may scan
 * @param landingCrawler whether a Glue crawler catalogs the raw landing JSON
 * @param landingCrawlerCron when the landing crawler runs (Glue, UTC); empty: on demand only
 * @param backfillCron when the previous day's backfill runs (EventBridge Scheduler, UTC)
 * @param compactCron when the compaction runs (EventBridge Scheduler, UTC)
 * @param compactDaysBack which day the compaction rewrites: this many days before the run's
 * @param iteratorAgeAlarmMs the stream's iterator age that raises the alarm
 * @param alarmEmail where alarms are mailed, if anywhere
 */
public record InfraConfig(
    String region,
    String env,
    String vpcCidr,
    List<String> availabilityZones,
    Optional<Integer> provisionedShards,
    int streamRetentionHours,
    boolean lakeVersioning,
    int landingExpireDays,
    int lakeInfrequentAccessDays,
    int resultsExpireDays,
    int logRetentionDays,
    String imageTag,
    int producerCpu,
    int producerMemoryMb,
    int producerCount,
    Map<String, String> generatorFlags,
    String emrRelease,
    String emrPrimaryType,
    String emrCoreType,
    int emrCoreCount,
    String glueDatabase,
    LocalDate lakeFirstDay,
    int athenaBytesScannedCutoffMb,
    boolean landingCrawler,
    Optional<String> landingCrawlerCron,
    String backfillCron,
    String compactCron,
    int compactDaysBack,
    int iteratorAgeAlarmMs,
    Optional<String> alarmEmail) {

  /** The project's config namespace (the {@code name} in {@code Pulumi.yaml}). */
  public static final String NAMESPACE = "tickstream";

  /** EMR releases whose Flink is 1.19, the Flink the job jar is built for. */
  public static final Set<String> FLINK_119_RELEASES =
      Set.of("emr-7.4.0", "emr-7.5.0", "emr-7.6.0");

  /** Retention periods CloudWatch Logs accepts, in days. */
  static final Set<Integer> LOG_RETENTION_DAYS =
      Set.of(
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);

  /** Fargate's CPU sizes. */
  static final Set<Integer> FARGATE_CPU = Set.of(256, 512, 1024, 2048, 4096);

  /** Flags the program sets itself: the generator writes to the stack's stream. */
  static final Set<String> PROGRAM_FLAGS = Set.of("sink", "region", "kinesis-endpoint");

  private static final Pattern ENV = Pattern.compile("[a-z][a-z0-9-]{0,15}");
  private static final Pattern CIDR16 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.0\\.0/16");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern FLAG = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern CRON = Pattern.compile("cron\\(.+\\)|rate\\(.+\\)");
  private static final Pattern GLUE_CRON = Pattern.compile("cron\\(.+\\)");
  private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  public InfraConfig {
    availabilityZones = List.copyOf(availabilityZones);
    generatorFlags = Map.copyOf(generatorFlags);
  }

  /** The prefix of every physical name: {@code tickstream-<env>}. */
  public String prefix() {
    return "tickstream-" + env;
  }

  /** Whether the stream is provisioned with {@link #provisionedShards()} shards. */
  public boolean provisioned() {
    return provisionedShards.isPresent();
  }

  /**
   * Reads the settings.
   *
   * @param lookup a config value by its full key ({@code tickstream:env}, {@code aws:region})
   * @param defaultImageTag the image tag when {@code tickstream:imageTag} is not set
   * @throws IllegalArgumentException one line: the key, the value and what is wrong
   */
  public static InfraConfig from(
      Function<String, Optional<String>> lookup, String defaultImageTag) {
    Reader r = new Reader(lookup);
    String region = r.string("aws:region", "us-east-1");
    if (!REGION.matcher(region).matches()) {
      throw r.invalid("aws:region", region, "is not an AWS region name such as us-east-1");
    }
    String env = r.string(key("env"), "dev");
    if (!ENV.matcher(env).matches()) {
      throw r.invalid(
          key("env"), env, "must be 1-16 lower-case letters, digits or -, a letter first");
    }
    String cidr = r.string(key("vpcCidr"), "10.40.0.0/16");
    if (!CIDR16.matcher(cidr).matches()) {
      throw r.invalid(key("vpcCidr"), cidr, "must be an IPv4 /16 such as 10.40.0.0/16");
    }
    List<String> zones = r.list(key("availabilityZones"), List.of(region + "a", region + "b"));
    if (zones.size() < 2 || zones.size() > 4 || zones.stream().distinct().count() != zones.size()) {
      throw r.invalid(key("availabilityZones"), String.join(",", zones), "must be 2 to 4 zones");
    }
    for (String zone : zones) {
      if (!zone.startsWith(region) || zone.length() != region.length() + 1) {
        throw r.invalid(key("availabilityZones"), zone, "is not a zone of " + region);
      }
    }
    String mode = r.string(key("streamMode"), "on-demand");
    Optional<String> shardsValue = lookup.apply(key("shards"));
    Optional<Integer> shards;
    if (mode.equals("provisioned")) {
      shards = Optional.of(r.integer(key("shards"), 2, 1, 500));
    } else if (mode.equals("on-demand")) {
      if (shardsValue.isPresent()) {
        throw r.invalid(
            key("shards"),
            shardsValue.get(),
            "needs tickstream:streamMode provisioned, not on-demand");
      }
      shards = Optional.empty();
    } else {
      throw r.invalid(key("streamMode"), mode, "must be on-demand or provisioned");
    }
    int logDays = r.integer(key("logRetentionDays"), 30, 1, 3653);
    if (!LOG_RETENTION_DAYS.contains(logDays)) {
      throw r.invalid(
          key("logRetentionDays"),
          "" + logDays,
          "is not a CloudWatch retention (1, 3, 5, 7, 14, 30, ...)");
    }
    String tag = r.string(key("imageTag"), defaultImageTag);
    if (!IMAGE_TAG.matcher(tag).matches()) {
      throw r.invalid(key("imageTag"), tag, "is not a container image tag");
    }
    int cpu = r.integer(key("producerCpu"), 512, 256, 4096);
    if (!FARGATE_CPU.contains(cpu)) {
      throw r.invalid(
          key("producerCpu"), "" + cpu, "must be a Fargate size: 256, 512, 1024, 2048, 4096");
    }
    String release = r.string(key("emrRelease"), "emr-7.4.0");
    if (!FLINK_119_RELEASES.contains(release)) {
      throw r.invalid(
          key("emrRelease"),
          release,
          "does not ship Flink 1.19, the job jar's Flink (" + sorted(FLINK_119_RELEASES) + ")");
    }
    String database = r.string(key("glueDatabase"), LakeCatalog.DEFAULT_DATABASE);
    if (!LakeCatalog.isDatabaseName(database)) {
      throw r.invalid(key("glueDatabase"), database, LakeCatalog.DATABASE_RULE);
    }
    String firstDay = r.string(key("lakeFirstDay"), LakeCatalog.DEFAULT_FIRST_DAY);
    LocalDate day;
    try {
      day = LocalDate.parse(firstDay);
    } catch (DateTimeParseException e) {
      throw r.invalid(key("lakeFirstDay"), firstDay, "is not a day (yyyy-MM-dd)");
    }
    boolean crawler = r.bool(key("landingCrawler"), false);
    Optional<String> crawlerCron =
        lookup.apply(key("landingCrawlerCron")).map(String::strip).filter(s -> !s.isEmpty());
    if (crawlerCron.isPresent()) {
      if (!GLUE_CRON.matcher(crawlerCron.get()).matches()) {
        throw r.invalid(
            key("landingCrawlerCron"),
            crawlerCron.get(),
            "is not a Glue crawler schedule: cron(...)");
      }
      if (!crawler) {
        throw r.invalid(
            key("landingCrawlerCron"), crawlerCron.get(), "needs tickstream:landingCrawler true");
      }
    }
    Optional<String> email = lookup.apply(key("alarmEmail")).filter(s -> !s.isBlank());
    if (email.isPresent() && !email.get().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      throw r.invalid(key("alarmEmail"), email.get(), "is not an e-mail address");
    }
    return new InfraConfig(
        region,
        env,
        cidr,
        zones,
        shards,
        r.integer(key("streamRetentionHours"), 24, 24, 8760),
        r.bool(key("lakeVersioning"), true),
        r.integer(key("landingExpireDays"), 30, 1, 36500),
        // S3 moves nothing to STANDARD_IA younger than 30 days.
        r.integer(key("lakeInfrequentAccessDays"), 90, 30, 36500),
        r.integer(key("resultsExpireDays"), 7, 1, 36500),
        logDays,
        tag,
        cpu,
        r.integer(key("producerMemoryMb"), 1024, 512, 30720),
        r.integer(key("producerCount"), 1, 0, 100),
        r.generatorFlags(key("generator")),
        release,
        r.string(key("emrPrimaryType"), "m5.xlarge"),
        r.string(key("emrCoreType"), "m5.xlarge"),
        r.integer(key("emrCoreCount"), 2, 1, 100),
        database,
        day,
        // Athena's own floor is 10 MB.
        r.integer(key("athenaBytesScannedCutoffMb"), 10240, 10, 1 << 30),
        crawler,
        crawlerCron,
        r.schedule(key("backfillCron"), "cron(30 0 * * ? *)"),
        r.schedule(key("compactCron"), "cron(0 3 * * ? *)"),
        r.integer(key("compactDaysBack"), 2, 1, 30),
        r.integer(key("iteratorAgeAlarmMs"), 300_000, 1_000, 604_800_000),
        email);
  }

  /** The full key of one of the project's settings, e.g. {@code tickstream:env}. */
  public static String key(String name) {
    return NAMESPACE + ":" + name;
  }

  private static String sorted(Set<String> values) {
    return String.join(", ", values.stream().sorted().toList());
  }

  /** Typed reads of config values, each failure naming the key and the value. */
  private static final class Reader {
    private final Function<String, Optional<String>> lookup;

    Reader(Function<String, Optional<String>> lookup) {
      this.lookup = lookup;
    }

    IllegalArgumentException invalid(String key, String value, String why) {
      return new IllegalArgumentException(key + ": '" + value + "' " + why);
    }

    String string(String key, String fallback) {
      return lookup.apply(key).map(String::strip).filter(s -> !s.isEmpty()).orElse(fallback);
    }

    int integer(String key, int fallback, int min, int max) {
      Optional<String> value = lookup.apply(key).map(String::strip);
      if (value.isEmpty()) {
        return fallback;
      }
      int n;
      try {
        n = Integer.parseInt(value.get());
      } catch (NumberFormatException e) {
        throw invalid(key, value.get(), "is not a whole number");
      }
      if (n < min || n > max) {
        throw invalid(key, value.get(), "must be from " + min + " to " + max);
      }
      return n;
    }

    boolean bool(String key, boolean fallback) {
      Optional<String> value = lookup.apply(key).map(s -> s.strip().toLowerCase(Locale.ROOT));
      if (value.isEmpty()) {
        return fallback;
      }
      switch (value.get()) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          throw invalid(key, value.get(), "must be true or false");
      }
    }

    /** A YAML list (which Pulumi hands over as JSON) or a comma-separated string. */
    List<String> list(String key, List<String> fallback) {
      Optional<String> value = lookup.apply(key).map(String::strip);
      if (value.isEmpty()) {
        return fallback;
      }
      List<String> out = new ArrayList<>();
      if (value.get().startsWith("[")) {
        JsonNode node = json(key, value.get());
        node.forEach(n -> out.add(n.asText().strip()));
      } else {
        for (String part : value.get().split(",")) {
          out.add(part.strip());
        }
      }
      return out;
    }

    String schedule(String key, String fallback) {
      String value = string(key, fallback);
      if (!CRON.matcher(value).matches()) {
        throw invalid(
            key, value, "is not an EventBridge Scheduler expression: cron(...) or rate(...)");
      }
      return value;
    }

    /** A YAML mapping of generator flag (no {@code --}) to value, handed over as JSON. */
    Map<String, String> generatorFlags(String key) {
      Optional<String> value = lookup.apply(key).map(String::strip);
      Map<String, String> flags = new LinkedHashMap<>();
      if (value.isEmpty()) {
        return flags;
      }
      JsonNode node = json(key, value.get());
      if (!node.isObject()) {
        throw invalid(key, value.get(), "must be a mapping of generator flag to value");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String flag = e.getKey().replaceFirst("^--", "");
        if (!FLAG.matcher(flag).matches()) {
          throw invalid(
              key + "." + e.getKey(), e.getValue().asText(), "is not a flag name (kebab case)");
        }
        if (PROGRAM_FLAGS.contains(flag)) {
          throw invalid(
              key + "." + flag, e.getValue().asText(), "is set by the program: the stack's stream");
        }
        if (e.getValue().isContainerNode()) {
          throw invalid(key + "." + flag, e.getValue().toString(), "must be a single value");
        }
        flags.put(flag, e.getValue().asText());
      }
      return flags;
    }

    private JsonNode json(String key, String value) {
      try {
        return JSON.readTree(value);
      } catch (JsonProcessingException e) {
        throw invalid(key, value, "is not a YAML list or mapping");
      }
    }
  }
}
