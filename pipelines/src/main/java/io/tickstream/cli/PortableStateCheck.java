package io.tickstream.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PortablePipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Refuses, before start, a job for Beam's {@code PortableRunner} that keeps state Beam 2.62's Flink
 * job server does not serve. Its operator answers the SDK harness's state requests for bag state
 * only (ValueState and CombiningState are built on bags, and work); map, set, multimap and ordered
 * list state fail the first bundle that touches them, deep in the job's log, after start-up.
 */
final class PortableStateCheck {
  /** State whose requests the portable Flink runner has no handler for, with its name here. */
  private static final Map<Class<?>, String> UNSERVED =
      Map.of(
          MapState.class, "map",
          SetState.class, "set",
          MultimapState.class, "multimap",
          OrderedListState.class, "ordered list");

  private final CommandSpec spec;

  PortableStateCheck(CommandSpec spec) {
    this.spec = spec;
  }

  /**
   * Builds the job with {@code build} into a pipeline that is never run and fails with one line
   * naming {@code --runner} if a step keeps unserved state.
   */
  void check(PipelineOptions options, Consumer<Pipeline> build) {
    Pipeline probe = Pipeline.create(options);
    build.accept(probe);
    List<String> steps = new ArrayList<>();
    TreeSet<String> kinds = new TreeSet<>();
    probe.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            TreeSet<String> found = unserved(node.getTransform());
            if (!found.isEmpty()) {
              steps.add(node.getFullName());
              kinds.addAll(found);
            }
          }
        });
    if (steps.isEmpty()) {
      return;
    }
    throw new ParameterException(
        spec.commandLine(),
        String.format(
            "--runner=PortableRunner (job endpoint %s): this job keeps %s state in %d steps (%s),"
                + " which Beam 2.62's portable Flink runner does not serve (bag and value state"
                + " only); run it on Flink with --runner=FlinkRunner and the job jar",
            options.as(PortablePipelineOptions.class).getJobEndpoint(),
            String.join(" and ", kinds),
            steps.size(),
            String.join(", ", steps)));
  }

  /** The kinds of unserved state {@code transform}'s DoFn declares, if it is a ParDo. */
  static TreeSet<String> unserved(PTransform<?, ?> transform) {
    TreeSet<String> kinds = new TreeSet<>();
    if (!(transform instanceof ParDo.MultiOutput)) {
      return kinds;
    }
    DoFn<?, ?> fn = ((ParDo.MultiOutput<?, ?>) transform).getFn();
    DoFnSignature signature = DoFnSignatures.getSignature(fn.getClass());
    for (DoFnSignature.StateDeclaration state : signature.stateDeclarations().values()) {
      Class<?> type = state.stateType().getRawType();
      UNSERVED.forEach(
          (unserved, name) -> {
            if (unserved.isAssignableFrom(type)) {
              kinds.add(name);
            }
          });
    }
    return kinds;
  }
}
