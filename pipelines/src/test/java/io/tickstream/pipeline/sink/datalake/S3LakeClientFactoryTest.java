package io.tickstream.pipeline.sink.datalake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

class S3LakeClientFactoryTest {
  @Test
  void installReplacesBeamsDefaultFactory() {
    PipelineOptions options = PipelineOptionsFactory.create();
    S3LakeClientFactory.install(options);
    assertEquals(S3LakeClientFactory.class, options.as(S3Options.class).getS3ClientFactoryClass());
  }

  @Test
  void installKeepsAFactoryChosenOnTheCommandLine() {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--s3ClientFactoryClass=" + Custom.class.getName())
            .as(S3Options.class);
    S3LakeClientFactory.install(options);
    assertEquals(Custom.class, options.as(S3Options.class).getS3ClientFactoryClass());
  }

  @Test
  void switchesSuitAwsByDefaultAndStandInsFromArgs() {
    S3LakeOptions options = PipelineOptionsFactory.create().as(S3LakeOptions.class);
    assertFalse(options.getS3PathStyleAccess());
    assertTrue(options.getS3ChunkedEncoding());
    S3LakeOptions standIn =
        PipelineOptionsFactory.fromArgs("--s3PathStyleAccess=true", "--s3ChunkedEncoding=false")
            .as(S3LakeOptions.class);
    assertTrue(standIn.getS3PathStyleAccess());
    assertFalse(standIn.getS3ChunkedEncoding());
  }

  /** Stands for a factory a user configured. */
  public static final class Custom implements S3ClientBuilderFactory {
    @Override
    public S3ClientBuilder createBuilder(S3Options options) {
      throw new UnsupportedOperationException();
    }
  }
}
