package io.tickstream.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stack config: defaults, the example stack, and one-line errors naming key and value. */
class InfraConfigTest {
  @Test
  void defaultsNeedNoConfigAtAll() {
    InfraConfig c = InfraConfig.from(key -> Optional.empty(), "1.0");
    assertEquals("us-east-1", c.region());
    assertEquals("tickstream-dev", c.prefix());
    assertEquals(List.of("us-east-1a", "us-east-1b"), c.availabilityZones());
    assertFalse(c.provisioned());
    assertEquals("1.0", c.imageTag());
    assertEquals("emr-7.4.0", c.emrRelease());
    assertEquals("tickstream", c.glueDatabase());
    assertTrue(c.lakeVersioning());
    assertEquals(Map.of(), c.generatorFlags());
    assertFalse(c.landingCrawler());
    assertEquals(Optional.empty(), c.landingCrawlerCron());
  }

  @Test
  void theExampleStackReads() throws Exception {
    InfraConfig c = Stack.config(DevStack.settings());
    assertEquals("tickstream-dev", c.prefix());
    assertEquals("tickstream_dev", c.glueDatabase());
    assertEquals("60", c.generatorFlags().get("ticks-per-minute"));
    assertEquals(Optional.empty(), c.alarmEmail());
  }

  @Test
  void theProjectVersionIsTheDefaultTag() {
    assertTrue(App.projectVersion().matches("\\d+\\.\\d+\\.\\d+.*"), App.projectVersion());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tickstream:env|Prod|tickstream:env: 'Prod' must be 1-16 lower-case letters",
        "tickstream:vpcCidr|10.0.0.0/24|tickstream:vpcCidr: '10.0.0.0/24' must be an IPv4 /16",
        "tickstream:availabilityZones|us-east-1a|tickstream:availabilityZones: 'us-east-1a' must be"
            + " 2 to 4 zones",
        "tickstream:availabilityZones|us-east-1a,eu-west-1b|tickstream:availabilityZones:"
            + " 'eu-west-1b' is not a zone of us-east-1",
        "tickstream:streamMode|fast|tickstream:streamMode: 'fast' must be on-demand or provisioned",
        "tickstream:shards|4|tickstream:shards: '4' needs tickstream:streamMode provisioned",
        "tickstream:logRetentionDays|10|tickstream:logRetentionDays: '10' is not a CloudWatch"
            + " retention",
        "tickstream:producerCpu|300|tickstream:producerCpu: '300' must be a Fargate size",
        "tickstream:producerCount|many|tickstream:producerCount: 'many' is not a whole number",
        "tickstream:emrRelease|emr-6.15.0|tickstream:emrRelease: 'emr-6.15.0' does not ship Flink"
            + " 1.19",
        "tickstream:lakeInfrequentAccessDays|7|tickstream:lakeInfrequentAccessDays: '7' must be"
            + " from 30",
        "tickstream:lakeVersioning|yes|tickstream:lakeVersioning: 'yes' must be true or false",
        "tickstream:glueDatabase|Tick-Stream|tickstream:glueDatabase: 'Tick-Stream' is not a Glue"
            + " database name",
        "tickstream:backfillCron|0 1 * * *|tickstream:backfillCron: '0 1 * * *' is not an"
            + " EventBridge Scheduler expression",
        "tickstream:landingCrawler|yes|tickstream:landingCrawler: 'yes' must be true or false",
        "tickstream:landingCrawlerCron|rate(1 day)|tickstream:landingCrawlerCron: 'rate(1 day)' is"
            + " not a Glue crawler schedule: cron(...)",
        "tickstream:landingCrawlerCron|cron(0 4 * * ? *)|tickstream:landingCrawlerCron:"
            + " 'cron(0 4 * * ? *)' needs tickstream:landingCrawler true",
        "tickstream:generator|{\"sink\": \"stdout\"}|tickstream:generator.sink: 'stdout' is set by"
            + " the program",
        "tickstream:generator|{\"Ticks\": 1}|tickstream:generator.Ticks: '1' is not a flag name",
        "tickstream:alarmEmail|oncall|tickstream:alarmEmail: 'oncall' is not an e-mail address",
        "aws:region|mars|aws:region: 'mars' is not an AWS region name",
      })
  void aMistakeIsOneLineNamingTheKeyAndTheValue(String key, String value, String message) {
    Map<String, String> settings = new HashMap<>();
    settings.put(key, value);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Stack.config(settings));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void theLandingCrawlerRunsOnDemandUnlessScheduled() {
    InfraConfig onDemand = Stack.config(Map.of("tickstream:landingCrawler", "true"));
    assertTrue(onDemand.landingCrawler());
    assertEquals(Optional.empty(), onDemand.landingCrawlerCron());
    InfraConfig scheduled =
        Stack.config(
            Map.of(
                "tickstream:landingCrawler", "true",
                "tickstream:landingCrawlerCron", "cron(0 4 * * ? *)"));
    assertEquals(Optional.of("cron(0 4 * * ? *)"), scheduled.landingCrawlerCron());
  }

  @Test
  void provisionedStreamsTakeShards() {
    InfraConfig c =
        Stack.config(Map.of("tickstream:streamMode", "provisioned", "tickstream:shards", "3"));
    assertEquals(Optional.of(3), c.provisionedShards());
  }
}
