package io.tickstream.infra;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.outputs.GetCallerIdentityResult;
import com.pulumi.core.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** An IAM policy document whose resources are other resources' ARNs, built as JSON. */
public final class PolicyDocument {

  /** One statement: its ARNs are resolved when the document is rendered. */
  private record Statement(
      String sid,
      String effect,
      List<String> actions,
      List<Output<String>> resources,
      Map<String, Map<String, Object>> condition) {}

  private final List<Statement> statements = new ArrayList<>();

  private PolicyDocument() {}

  /** An empty document. */
  public static PolicyDocument create() {
    return new PolicyDocument();
  }

  /** Allows {@code actions} on exactly {@code resources}. */
  public PolicyDocument allow(String sid, List<String> actions, List<Output<String>> resources) {
    return allow(sid, actions, resources, Map.of());
  }

  /** Allows {@code actions} on {@code resources} under a condition. */
  public PolicyDocument allow(
      String sid,
      List<String> actions,
      List<Output<String>> resources,
      Map<String, Map<String, Object>> condition) {
    statements.add(
        new Statement(sid, "Allow", List.copyOf(actions), List.copyOf(resources), condition));
    return this;
  }

  /** Denies {@code actions} on {@code resources} under a condition. */
  public PolicyDocument deny(
      String sid,
      List<String> actions,
      List<Output<String>> resources,
      Map<String, Map<String, Object>> condition) {
    statements.add(
        new Statement(sid, "Deny", List.copyOf(actions), List.copyOf(resources), condition));
    return this;
  }

  /** The document as JSON, once every ARN is known. */
  public Output<String> json() {
    List<Output<String>> all = new ArrayList<>();
    statements.forEach(s -> all.addAll(s.resources()));
    return Output.all(all).applyValue(this::render);
  }

  private String render(List<String> arns) {
    ObjectNode doc = Json.MAPPER.createObjectNode().put("Version", "2012-10-17");
    ArrayNode list = doc.putArray("Statement");
    int next = 0;
    for (Statement s : statements) {
      ObjectNode node = list.addObject().put("Sid", s.sid()).put("Effect", s.effect());
      ArrayNode actions = node.putArray("Action");
      s.actions().forEach(actions::add);
      ArrayNode resources = node.putArray("Resource");
      for (int i = 0; i < s.resources().size(); i++) {
        resources.add(arns.get(next++));
      }
      if (!s.condition().isEmpty()) {
        node.set("Condition", Json.MAPPER.valueToTree(s.condition()));
      }
    }
    return Json.write(doc);
  }

  /** The account the caller's credentials deploy into, what the trust policies name. */
  public static Output<String> callerAccount() {
    return AwsFunctions.getCallerIdentity().applyValue(GetCallerIdentityResult::accountId);
  }

  /**
   * The trust policy that lets {@code service} assume a role with no condition: only for services
   * not documented to pass {@code aws:SourceAccount} there (EC2 for an instance profile, Glue for
   * a crawler).
   */
  public static String assumedBy(String service) {
    return trust(service, Map.of());
  }

  /**
   * The trust policy that lets {@code service} (e.g. {@code scheduler.amazonaws.com}) assume a role
   * only on behalf of {@code account} ({@code aws:SourceAccount}): no other account's resource can
   * make the service act with it (the confused deputy).
   */
  public static Output<String> assumedBy(String service, Output<String> account) {
    return account.applyValue(
        id -> trust(service, Map.of("StringEquals", Map.of("aws:SourceAccount", id))));
  }

  /**
   * Like {@link #assumedBy(String, Output)}, and only for the service's resources whose ARN is like
   * {@code sourceArn} of the account id ({@code aws:SourceArn}, e.g. any ECS resource of the
   * account in the region: {@code arn:aws:ecs:us-east-1:<account>:*}).
   */
  public static Output<String> assumedBy(
      String service, Output<String> account, Function<String, String> sourceArn) {
    return account.applyValue(
        id ->
            trust(
                service,
                Map.of(
                    "StringEquals", Map.of("aws:SourceAccount", id),
                    "ArnLike", Map.of("aws:SourceArn", sourceArn.apply(id)))));
  }

  private static String trust(String service, Map<String, Map<String, Object>> condition) {
    ObjectNode doc = Json.MAPPER.createObjectNode().put("Version", "2012-10-17");
    ObjectNode statement = doc.putArray("Statement").addObject();
    statement.put("Effect", "Allow").put("Action", "sts:AssumeRole");
    statement.putObject("Principal").put("Service", service);
    if (!condition.isEmpty()) {
      statement.set("Condition", Json.MAPPER.valueToTree(new TreeMap<>(condition)));
    }
    return Json.write(doc);
  }
}
