package io.tickstream.pipeline.sink.datalake;

import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the S3 clients of Beam's S3 file system like Beam's default factory (endpoint, region,
 * credentials and HTTP settings from {@link org.apache.beam.sdk.io.aws2.options.AwsOptions}), plus
 * the path-style and chunked-encoding switches of {@link S3LakeOptions}, which Beam's factory
 * cannot set. With both switches at their defaults it builds exactly what Beam's would.
 *
 * <p>Beam instantiates it from {@code --s3ClientFactoryClass} wherever the pipeline runs, so it
 * reads everything from the options it is given and holds no state.
 */
public final class S3LakeClientFactory implements S3ClientBuilderFactory {
  /** Makes this the S3 client factory of {@code options}, unless another one was chosen. */
  public static void install(PipelineOptions options) {
    S3Options s3 = options.as(S3Options.class);
    if (s3.getS3ClientFactoryClass() == null
        || s3.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      s3.setS3ClientFactoryClass(S3LakeClientFactory.class);
    }
  }

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3LakeOptions lake = options.as(S3LakeOptions.class);
    return ClientBuilderFactory.getFactory(options)
        .create(S3Client.builder(), options)
        .serviceConfiguration(
            S3Configuration.builder()
                .pathStyleAccessEnabled(lake.getS3PathStyleAccess())
                .chunkedEncodingEnabled(lake.getS3ChunkedEncoding())
                .build());
  }
}
