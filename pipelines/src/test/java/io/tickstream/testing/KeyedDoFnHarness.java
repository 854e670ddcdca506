package io.tickstream.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.InMemoryTimerInternals;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.transforms.reflect.DoFnInvokers;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.WindowedValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Instant;

/**
 * Runs a keyed stateful DoFn for one key with Beam's in-memory state and timers, as Flink's
 * operator test harness runs a keyed function, so a test can ask what state and timers the key
 * still holds: {@link #hasNoState()}, {@link #hasTimers()}. Elements go in one at a time; {@link
 * #advanceWatermarkTo} fires the event-time timers it passes, in time order.
 */
public final class KeyedDoFnHarness<K, InputT, OutputT> {
  private final K key;
  private final InspectableState<K> state;
  private final InMemoryTimerInternals timers = new InMemoryTimerInternals();
  private final DoFnRunner<KV<K, InputT>, OutputT> runner;
  private final Map<TupleTag<?>, List<TimestampedValue<?>>> outputs = new HashMap<>();

  /**
   * @param mainOutput the DoFn's main output
   * @param additionalOutputs its other outputs
   */
  public KeyedDoFnHarness(
      DoFn<KV<K, InputT>, OutputT> fn,
      K key,
      TupleTag<OutputT> mainOutput,
      List<TupleTag<?>> additionalOutputs) {
    this.key = key;
    this.state = new InspectableState<>(key);
    DoFnInvokers.tryInvokeSetupFor(fn, PipelineOptionsFactory.create());
    StepContext context =
        new StepContext() {
          @Override
          public StateInternals stateInternals() {
            return state;
          }

          @Override
          public TimerInternals timerInternals() {
            return timers;
          }
        };
    DoFnRunners.OutputManager collect =
        new DoFnRunners.OutputManager() {
          @Override
          public <T> void output(TupleTag<T> tag, WindowedValue<T> value) {
            outputs
                .computeIfAbsent(tag, t -> new ArrayList<>())
                .add(TimestampedValue.of(value.getValue(), value.getTimestamp()));
          }
        };
    Map<TupleTag<?>, Coder<?>> noCoders = new HashMap<>();
    this.runner =
        DoFnRunners.simpleRunner(
            PipelineOptionsFactory.create(),
            fn,
            NullSideInputReader.empty(),
            collect,
            mainOutput,
            additionalOutputs,
            context,
            null,
            noCoders,
            WindowingStrategy.globalDefault(),
            DoFnSchemaInformation.create(),
            Map.of());
  }

  /** Processes {@code value} of this key at {@code timestamp}, in a bundle of its own. */
  public void process(InputT value, Instant timestamp) {
    runner.startBundle();
    runner.processElement(
        WindowedValue.of(KV.of(key, value), timestamp, GlobalWindow.INSTANCE, PaneInfo.NO_FIRING));
    runner.finishBundle();
  }

  /** Moves the input watermark to {@code watermark}, firing every event-time timer it passes. */
  public void advanceWatermarkTo(Instant watermark) throws Exception {
    timers.advanceInputWatermark(watermark);
    runner.startBundle();
    TimerInternals.TimerData timer;
    while ((timer = timers.removeNextEventTimer()) != null) {
      runner.onTimer(
          timer.getTimerId(),
          timer.getTimerFamilyId(),
          key,
          GlobalWindow.INSTANCE,
          timer.getTimestamp(),
          timer.getOutputTimestamp(),
          timer.getDomain());
    }
    runner.finishBundle();
  }

  /** What the DoFn emitted under {@code tag} so far, with timestamps, in order. */
  @SuppressWarnings("unchecked")
  public <T> List<TimestampedValue<T>> outputs(TupleTag<T> tag) {
    List<TimestampedValue<T>> out = new ArrayList<>();
    for (TimestampedValue<?> v : outputs.getOrDefault(tag, List.of())) {
      out.add((TimestampedValue<T>) v);
    }
    return out;
  }

  /** The values emitted under {@code tag}, in order. */
  public <T> List<T> values(TupleTag<T> tag) {
    return outputs(tag).stream().map(TimestampedValue::getValue).toList();
  }

  /** Whether every state cell of the key is empty (never written, or cleared). */
  public boolean hasNoState() {
    return state.isEmpty();
  }

  /** Whether the key still has a timer set, in event or processing time. */
  public boolean hasTimers() {
    return timers.getNextTimer(TimeDomain.EVENT_TIME) != null
        || timers.getNextTimer(TimeDomain.PROCESSING_TIME) != null;
  }

  /** The key's state cell {@code id}, e.g. to count what a set holds; null if never used. */
  public @Nullable State stateCell(String id) {
    return state.cell(id);
  }

  /** In-memory state that can say whether it holds anything. */
  private static final class InspectableState<K> extends InMemoryStateInternals<K> {
    InspectableState(K key) {
      super(key);
    }

    boolean isEmpty() {
      for (StateNamespace ns : inMemoryState.getNamespacesInUse()) {
        for (State cell : inMemoryState.getTagsInUse(ns).values()) {
          if (!(cell instanceof InMemoryState) || !((InMemoryState<?>) cell).isCleared()) {
            return false;
          }
        }
      }
      return true;
    }

    @Nullable
    @SuppressWarnings("rawtypes") // the internals map raw tags
    State cell(String id) {
      for (StateNamespace ns : inMemoryState.getNamespacesInUse()) {
        for (Map.Entry<StateTag, State> cell : inMemoryState.getTagsInUse(ns).entrySet()) {
          if (cell.getKey().getId().equals(id)) {
            return cell.getValue();
          }
        }
      }
      return null;
    }
  }
}
