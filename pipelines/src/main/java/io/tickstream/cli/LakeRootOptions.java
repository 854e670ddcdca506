package io.tickstream.cli;

import io.tickstream.pipeline.sink.datalake.S3LakeOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Where the lake is. An {@code s3://} lake is reached with {@link S3LakeOptions} and Beam's AWS
 * options ({@code --endpoint}, {@code --awsRegion}, {@code --awsCredentialsProvider}).
 */
@Description("Lake")
public interface LakeRootOptions extends S3LakeOptions {
  @Description("Where the lake is written: a local directory or s3://bucket/prefix.")
  @Default.String("./lake")
  @ParamLabel("DIR|s3://BUCKET/PREFIX")
  String getLake();

  void setLake(String lake);
}
