package io.tickstream.pipeline.sink.datalake;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How Beam's S3 file system reaches an {@code s3://} lake, beside Beam's own {@code --endpoint},
 * {@code --awsRegion} and {@code --awsCredentialsProvider}. Read by {@link S3LakeClientFactory},
 * which {@link S3LakeClientFactory#install} registers as the {@code --s3ClientFactoryClass}.
 *
 * <p>For an S3 stand-in such as s3rver over plain HTTP: {@code --endpoint=http://127.0.0.1:4568
 * --awsRegion=us-east-1 --s3PathStyleAccess=true --s3ChunkedEncoding=false}.
 */
@Description("S3 lake")
public interface S3LakeOptions extends S3Options {
  @Description(
      "Address S3 buckets in the URL path (http://host/bucket/key) rather than the host name;"
          + " needed by S3 stand-ins such as s3rver or MinIO reached by IP address.")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean pathStyleAccess);

  @Description(
      "Upload S3 objects with aws-chunked content encoding (the SDK's default). Turn off for S3"
          + " stand-ins that store chunked bodies verbatim, such as s3rver over plain HTTP.")
  @Default.Boolean(true)
  boolean getS3ChunkedEncoding();

  void setS3ChunkedEncoding(boolean chunkedEncoding);
}
