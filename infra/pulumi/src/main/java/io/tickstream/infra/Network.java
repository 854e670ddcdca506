package io.tickstream.infra;

import com.pulumi.aws.ec2.RouteTable;
import com.pulumi.aws.ec2.RouteTableArgs;
import com.pulumi.aws.ec2.RouteTableAssociation;
import com.pulumi.aws.ec2.RouteTableAssociationArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.Subnet;
import com.pulumi.aws.ec2.SubnetArgs;
import com.pulumi.aws.ec2.Vpc;
import com.pulumi.aws.ec2.VpcArgs;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ec2.VpcEndpointArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VPC: private subnets only (no internet gateway, no NAT), with gateway endpoints for S3 and
 * DynamoDB and interface endpoints for ECR, CloudWatch Logs and metrics, Kinesis and STS, so tasks
 * and the cluster reach AWS without an internet route.
 */
public final class Network extends ComponentResource {
  /**
   * The interface endpoints' services: image pulls, logs, the dead-letter metrics, the stream, role
   * credentials.
   */
  public static final List<String> INTERFACE_SERVICES =
      List.of("ecr.api", "ecr.dkr", "logs", "monitoring", "kinesis-streams", "sts");

  /** The gateway endpoints' services: the lake and the positions table. */
  public static final List<String> GATEWAY_SERVICES = List.of("s3", "dynamodb");

  /** The tag AmazonEMRServicePolicy_v2 requires on the subnets and security groups EMR may use. */
  public static final Map<String, String> EMR_MANAGED_TAG =
      Map.of("for-use-with-amazon-emr-managed-policies", "true");

  private final Vpc vpc;
  private final List<Subnet> privateSubnets = new ArrayList<>();
  private final Map<String, VpcEndpoint> gatewayEndpoints = new LinkedHashMap<>();
  private final SecurityGroup workloads;
  private final String cidr;

  public Network(String name, InfraConfig config, ComponentResourceOptions options) {
    super("tickstream:infra:Network", name, options);
    CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    this.cidr = config.vpcCidr();
    vpc =
        new Vpc(
            name + "-vpc",
            VpcArgs.builder()
                .cidrBlock(cidr)
                // Private DNS of the interface endpoints needs both.
                .enableDnsSupport(true)
                .enableDnsHostnames(true)
                .tags(Map.of("Name", config.prefix()))
                .build(),
            child);
    RouteTable routes =
        new RouteTable(
            name + "-private-routes",
            RouteTableArgs.builder()
                .vpcId(vpc.id())
                .tags(Map.of("Name", config.prefix() + "-private"))
                .build(),
            child);
    String[] octets = cidr.split("[./]");
    for (int i = 0; i < config.availabilityZones().size(); i++) {
      String zone = config.availabilityZones().get(i);
      Map<String, String> tags = new LinkedHashMap<>(EMR_MANAGED_TAG);
      tags.put("Name", config.prefix() + "-private-" + zone);
      tags.put("tier", "private");
      Subnet subnet =
          new Subnet(
              name + "-private-" + zone,
              SubnetArgs.builder()
                  .vpcId(vpc.id())
                  .availabilityZone(zone)
                  // A /20 per zone: 4091 addresses, room for Fargate's one ENI per task.
                  .cidrBlock(octets[0] + "." + octets[1] + "." + (i * 16) + ".0/20")
                  .mapPublicIpOnLaunch(false)
                  .tags(tags)
                  .build(),
              child);
      privateSubnets.add(subnet);
      new RouteTableAssociation(
          name + "-private-routes-" + zone,
          RouteTableAssociationArgs.builder()
              .subnetId(subnet.id())
              .routeTableId(routes.id())
              .build(),
          child);
    }
    for (String service : GATEWAY_SERVICES) {
      gatewayEndpoints.put(
          service,
          new VpcEndpoint(
              name + "-" + service,
              VpcEndpointArgs.builder()
                  .vpcId(vpc.id())
                  .serviceName("com.amazonaws." + config.region() + "." + service)
                  .vpcEndpointType("Gateway")
                  .routeTableIds(routes.id().applyValue(List::of))
                  .build(),
              child));
    }
    SecurityGroup endpoints =
        new SecurityGroup(
            name + "-endpoints",
            SecurityGroupArgs.builder()
                .vpcId(vpc.id())
                .description("HTTPS from inside the VPC to the interface endpoints")
                .ingress(
                    SecurityGroupIngressArgs.builder()
                        .protocol("tcp")
                        .fromPort(443)
                        .toPort(443)
                        .cidrBlocks(cidr)
                        .build())
                .build(),
            child);
    for (String service : INTERFACE_SERVICES) {
      new VpcEndpoint(
          name + "-" + service.replace('.', '-'),
          VpcEndpointArgs.builder()
              .vpcId(vpc.id())
              .serviceName("com.amazonaws." + config.region() + "." + service)
              .vpcEndpointType("Interface")
              .privateDnsEnabled(true)
              .subnetIds(privateSubnetIds())
              .securityGroupIds(endpoints.id().applyValue(List::of))
              .build(),
          child);
    }
    // Outbound HTTPS only, and only to where AWS is reachable from here: the interface
    // endpoints (in the VPC's range) and the gateway endpoints' prefix lists.
    workloads =
        new SecurityGroup(
            name + "-workloads",
            SecurityGroupArgs.builder()
                .vpcId(vpc.id())
                .description("Producer tasks: HTTPS to the VPC endpoints only")
                .egress(
                    SecurityGroupEgressArgs.builder()
                        .protocol("tcp")
                        .fromPort(443)
                        .toPort(443)
                        .cidrBlocks(cidr)
                        .build(),
                    SecurityGroupEgressArgs.builder()
                        .protocol("tcp")
                        .fromPort(443)
                        .toPort(443)
                        .prefixListIds(
                            Output.all(
                                gatewayEndpoints.values().stream()
                                    .map(VpcEndpoint::prefixListId)
                                    .toList()))
                        .build())
                .build(),
            child);
    registerOutputs(
        Map.of(
            "vpcId", vpc.id(),
            "privateSubnetIds", privateSubnetIds(),
            "workloadSecurityGroupId", workloads.id()));
  }

  /** The VPC's id. */
  public Output<String> vpcId() {
    return vpc.id();
  }

  /** The VPC's IPv4 range. */
  public String cidr() {
    return cidr;
  }

  /** The private subnets' ids, one per zone. */
  public Output<List<String>> privateSubnetIds() {
    return Output.all(privateSubnets.stream().map(Subnet::id).toList());
  }

  /** The first private subnet's id (EMR places an instance-group cluster in one subnet). */
  public Output<String> firstPrivateSubnetId() {
    return privateSubnets.get(0).id();
  }

  /** The security group of the producer's tasks. */
  public Output<String> workloadSecurityGroupId() {
    return workloads.id();
  }
}
