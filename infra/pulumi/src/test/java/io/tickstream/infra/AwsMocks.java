package io.tickstream.infra;

import com.pulumi.test.Mocks;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's stand-in: every resource is created with its inputs as its state, plus the outputs
 * AWS would compute (ARNs, bucket names, URLs), deterministically from its name; the one invoke the
 * program makes, the caller's identity, answers {@link #ACCOUNT}.
 */
final class AwsMocks implements Mocks {
  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  static final String CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity";

  /** Every ARN the mocked AWS handed out: a policy may name only these (or what is under them). */
  final Set<String> arns = ConcurrentHashMap.newKeySet();

  /** The caller's identity; any other invoke is one the program should not make. */
  @Override
  public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
    if (!args.token.equals(CALLER_IDENTITY)) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException("unexpected invoke " + args.token));
    }
    return CompletableFuture.completedFuture(
        Map.of(
            "accountId", ACCOUNT,
            "arn", "arn:aws:iam::" + ACCOUNT + ":user/deployer",
            "id", ACCOUNT,
            "userId", "AIDAMOCKDEPLOYER"));
  }

  @Override
  public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
    Map<String, Object> state = new HashMap<>(args.inputs);
    String type = args.type;
    String id = args.name + "-id";
    if (type.startsWith("tickstream:")) {
      return CompletableFuture.completedFuture(ResourceResult.of(Optional.empty(), state));
    }
    String service = type.substring(type.indexOf(':') + 1, type.indexOf('/'));
    String physical = (String) state.getOrDefault("name", args.name + "-physical");
    state.putIfAbsent("name", physical);
    String arn = "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + args.name;
    switch (type) {
      case "aws:s3/bucketV2:BucketV2":
        String bucket = state.getOrDefault("bucketPrefix", "") + "mock";
        state.put("bucket", bucket);
        arn = "arn:aws:s3:::" + bucket;
        id = bucket;
        break;
      case "aws:kinesis/stream:Stream":
        arn = "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + physical;
        break;
      case "aws:kms/key:Key":
        state.put("keyId", args.name + "-key-id");
        arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + args.name + "-key-id";
        break;
      case "aws:ecr/repository:Repository":
        state.put("repositoryUrl", ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com/" + physical);
        arn = "arn:aws:ecr:" + REGION + ":" + ACCOUNT + ":repository/" + physical;
        break;
      case "aws:ec2/vpcEndpoint:VpcEndpoint":
        state.put("prefixListId", "pl-" + args.name);
        break;
      case "aws:emr/cluster:Cluster":
        id = "j-" + args.name;
        arn = "arn:aws:elasticmapreduce:" + REGION + ":" + ACCOUNT + ":cluster/" + id;
        break;
      case "aws:dynamodb/table:Table":
        arn = "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + physical;
        break;
      case "aws:cloudwatch/logGroup:LogGroup":
        arn = "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + physical;
        break;
      case "aws:iam/role:Role":
        arn = "arn:aws:iam::" + ACCOUNT + ":role/" + physical;
        break;
      default:
        break;
    }
    state.putIfAbsent("arn", arn);
    arns.add((String) state.get("arn"));
    return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
  }
}
