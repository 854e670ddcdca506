package io.tickstream.cli;

import io.tickstream.generator.cli.Flags;
import io.tickstream.pipeline.BackfillConfig;
import io.tickstream.pipeline.StreamConfig;
import io.tickstream.pipeline.io.SourceSpec;
import io.tickstream.pipeline.sink.datalake.LakeConfig;
import io.tickstream.pipeline.sink.datalake.S3LakeClientFactory;
import io.tickstream.pipeline.sink.dynamodb.PositionsTableConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What a command checks before it builds a pipeline, because it is cheap to check and costly to
 * find out mid-job: the source glob matches a file, the lake can be created and written (a probe
 * file, removed again; for {@code s3://}, the bucket answers and takes an object), the positions
 * table exists. Each failure is one {@link ParameterException} naming the flag and the value; the
 * network calls give up after {@value #TIMEOUT_SECONDS} seconds rather than retry.
 */
final class Preflight {
  static final int TIMEOUT_SECONDS = 5;

  /** The name of the probe a writable lake takes and gives back; readers skip dot files. */
  static final String PROBE_PREFIX = ".tickstream-write-probe-";

  private final CommandSpec spec;
  private final PipelineOptions options;

  Preflight(CommandSpec spec, PipelineOptions options) {
    this.spec = spec;
    this.options = options;
  }

  /** Checks a streaming job's source, lake and table. */
  void check(StreamConfig config) {
    if (config.source().type() == SourceSpec.Type.FILE) {
      sourceFilesExist(config.source());
    }
    lakeIsWritable(config.lake());
    if (config.positionsTable() != null) {
      tableExists(config.positionsTable());
    }
  }

  /** Checks a backfill's input and lake. */
  void check(BackfillConfig config) {
    if (config.input().startsWith("s3://")) {
      S3LakeClientFactory.install(options);
    }
    filesExist("--input", config.input(), config.input());
    lakeIsWritable(config.lake());
  }

  private void sourceFilesExist(SourceSpec source) {
    filesExist("--source", source.describe(), source.target());
  }

  private void filesExist(String flag, String value, String glob) {
    FileSystems.setDefaultPipelineOptions(options);
    MatchResult match;
    try {
      match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    } catch (IOException | IllegalArgumentException e) {
      throw Flags.invalid(spec, flag, value, "cannot be listed: " + e.getMessage());
    }
    if (match.status() != MatchResult.Status.OK) {
      throw Flags.invalid(spec, flag, value, "matches no file");
    }
    try {
      if (match.metadata().isEmpty()) {
        throw Flags.invalid(spec, flag, value, "matches no file");
      }
    } catch (IOException e) {
      throw Flags.invalid(spec, flag, value, "cannot be listed: " + e.getMessage());
    }
  }

  private void lakeIsWritable(LakeConfig lake) {
    if (lake.onS3()) {
      s3LakeIsWritable(lake.root());
      return;
    }
    Path root = Path.of(lake.root());
    try {
      Files.createDirectories(root);
    } catch (IOException | SecurityException e) {
      throw Flags.invalid(spec, "--lake", lake.root(), "cannot be created: " + reason(e));
    }
    Path probe = root.resolve(PROBE_PREFIX + UUID.randomUUID());
    try {
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw Flags.invalid(spec, "--lake", lake.root(), "is not writable: " + reason(e));
    }
  }

  private void s3LakeIsWritable(String root) {
    URI uri = URI.create(root);
    String bucket = uri.getHost();
    String prefix = uri.getPath().replaceFirst("^/", "");
    String key = (prefix.isEmpty() ? "" : prefix + "/") + PROBE_PREFIX + UUID.randomUUID();
    S3LakeClientFactory.install(options);
    try (S3Client s3 =
        new S3LakeClientFactory()
            .createBuilder(options.as(S3Options.class))
            .overrideConfiguration(
                c ->
                    c.apiCallTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                        .retryPolicy(RetryPolicy.none()))
            .build()) {
      s3.headBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[] {1}));
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchBucketException e) {
      throw Flags.invalid(
          spec, "--lake", root, "names bucket '" + bucket + "', which does not exist");
    } catch (S3Exception e) {
      String why =
          e.statusCode() == 404
              ? "names bucket '" + bucket + "', which does not exist"
              : e.statusCode() == 403
                  ? "cannot be written with these credentials (S3 said 403 Forbidden)"
                  : "cannot be written: S3 said "
                      + e.statusCode()
                      + " "
                      + firstLine(e.getMessage());
      throw Flags.invalid(spec, "--lake", root, why);
    } catch (SdkException e) {
      String why = firstLine(reason(e));
      if (why.contains("Unable to load region")) {
        throw Flags.invalid(
            spec, "--lake", root, "needs an AWS region: give --awsRegion (or set AWS_REGION)");
      }
      if (why.contains("Unable to load credentials")) {
        throw Flags.invalid(
            spec,
            "--lake",
            root,
            "needs AWS credentials: give --awsCredentialsProvider, or set them up for the SDK's"
                + " default chain");
      }
      throw Flags.invalid(
          spec, "--lake", root, "cannot be reached: " + shorten(why) + endpointHint());
    }
  }

  private void tableExists(PositionsTableConfig table) {
    try (DynamoDbClient ddb =
        table
            .clientBuilder()
            .overrideConfiguration(
                c ->
                    c.apiCallTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                        .retryPolicy(RetryPolicy.none()))
            .build()) {
      ddb.describeTable(b -> b.tableName(table.tableName()));
    } catch (ResourceNotFoundException e) {
      throw Flags.invalid(
          spec,
          "--positions-table",
          table.tableName(),
          "does not exist in "
              + table.region()
              + (table.endpoint() == null ? "" : " at " + table.endpoint())
              + "; create it first");
    } catch (SdkException e) {
      throw Flags.invalid(
          spec,
          "--positions-table",
          table.tableName(),
          "cannot be reached in " + table.describe() + ": " + shorten(firstLine(reason(e))));
    }
  }

  private String endpointHint() {
    URI endpoint = options.as(S3Options.class).getEndpoint();
    return endpoint == null ? "" : " (--endpoint=" + endpoint + ")";
  }

  private static String reason(Throwable e) {
    if (e instanceof java.nio.file.FileSystemException) {
      java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
      if (f.getReason() != null) {
        return f.getReason();
      }
      if (e instanceof java.nio.file.AccessDeniedException) {
        return "permission denied";
      }
      if (e instanceof java.nio.file.NoSuchFileException) {
        return "no such file or directory";
      }
      if (e instanceof java.nio.file.FileAlreadyExistsException) {
        return f.getFile() + " is a file, not a directory";
      }
      return e.getClass().getSimpleName() + " on " + f.getFile();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? m : e.getClass().getSimpleName() + ": " + m;
  }

  private static String shorten(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
