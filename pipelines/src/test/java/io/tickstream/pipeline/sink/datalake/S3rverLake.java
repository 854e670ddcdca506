package io.tickstream.pipeline.sink.datalake;

import io.tickstream.testing.S3rver;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Beam's S3 file system pointed at an s3rver, for the tests that write an {@code s3://} lake. */
public final class S3rverLake {
  private S3rverLake() {}

  /** Options that reach {@code s3} over plain HTTP with its fixed credentials. */
  public static S3LakeOptions options(S3rver s3) {
    return PipelineOptionsFactory.fromArgs(
            "--endpoint=" + s3.endpoint(),
            "--awsRegion=" + S3rver.REGION,
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\""
                + S3rver.ACCESS_KEY_ID
                + "\",\"secretAccessKey\":\""
                + S3rver.SECRET_ACCESS_KEY
                + "\"}",
            "--s3PathStyleAccess=true",
            "--s3ChunkedEncoding=false",
            // The minimum; Beam's default is 64 MiB per open file.
            "--s3UploadBufferSizeBytes=5242880")
        .as(S3LakeOptions.class);
  }

  /**
   * {@link #options} with the lake's S3 client factory installed and Beam's file systems
   * registered with them, for tests that write through {@code FileSystems} or a pipeline.
   */
  public static S3LakeOptions installed(S3rver s3) {
    S3LakeOptions options = options(s3);
    S3LakeClientFactory.install(options);
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }
}
