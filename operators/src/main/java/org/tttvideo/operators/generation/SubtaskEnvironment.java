package org.tttvideo.operators.generation;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.streaming.runtime.tasks.StreamTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a generation subtask learns from where it runs, read once in {@code open()}: its GPU
 * (Flink's external resource {@value #GPU_RESOURCE}), its attempt number, whether the job
 * checkpoints, and its {@link AttemptJournal} under the checkpoint directory.
 *
 * <pre>{@code
 * SubtaskEnvironment env =
 *     new SubtaskEnvironment(getContainingTask(), getRuntimeContext(), getOperatorID());
 * Generator generator = factory.create(env.gpuIndex());
 * }</pre>
 */
final class SubtaskEnvironment {
  /** The external resource whose "index" property names the GPU of a subtask. */
  static final String GPU_RESOURCE = "gpu";

  /** The operator's log category, as its other parts log. */
  private static final Logger LOG = LoggerFactory.getLogger(AbstractStreamOperator.class);

  private final StreamTask<?, ?> task;
  private final StreamingRuntimeContext context;
  private final OperatorID operator;

  SubtaskEnvironment(StreamTask<?, ?> task, StreamingRuntimeContext context, OperatorID operator) {
    this.task = task;
    this.context = context;
    this.operator = operator;
  }

  /** This subtask's index. */
  int subtask() {
    return context.getTaskInfo().getIndexOfThisSubtask();
  }

  /** The attempt number of this task (0 for the first). */
  int attempt() {
    return context.getTaskInfo().getAttemptNumber();
  }

  /** Whether the job takes checkpoints. */
  boolean checkpointing() {
    return CheckpointingOptions.isCheckpointingEnabled(task.getJobConfiguration());
  }

  /**
   * The GPU of this subtask from the external resource {@value #GPU_RESOURCE} (its "index"
   * property); with several, subtasks sharing a task manager spread over them. -1 without one.
   */
  int gpuIndex() {
    List<String> indices =
        context.getExternalResourceInfos(GPU_RESOURCE).stream()
            .map(i -> i.getProperty("index"))
            .flatMap(Optional::stream)
            .toList();
    int gpu = gpuIndex(indices, subtask());
    if (gpu >= 0) {
      LOG.info(
          "Subtask {} uses GPU {} of {} declared as '{}'",
          subtask(),
          gpu,
          ascending(indices),
          GPU_RESOURCE);
    }
    return gpu;
  }

  /**
   * The GPU of subtask {@code subtask} among the {@code indices} ("index" properties of {@link
   * ExternalResourceInfo}s, in any order, blanks around them allowed): the subtask modulo their
   * number picks one in ascending order, so that subtasks spread over the GPUs. -1 if there is
   * none.
   */
  static int gpuIndex(Collection<String> indices, int subtask) {
    List<Integer> sorted = ascending(indices);
    return sorted.isEmpty() ? -1 : sorted.get(subtask % sorted.size());
  }

  private static List<Integer> ascending(Collection<String> indices) {
    return indices.stream().map(String::trim).map(Integer::parseInt).sorted().toList();
  }

  /**
   * The journal of this subtask under the job's checkpoint directory (the job's configuration, else
   * the task manager's), or null if there is none: checkpoints in the JobManager's memory.
   */
  AttemptJournal attemptJournal() {
    String dir =
        task.getJobConfiguration()
            .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
            .orElseGet(
                () ->
                    task.getEnvironment()
                        .getTaskManagerInfo()
                        .getConfiguration()
                        .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    if (dir == null) {
      LOG.info(
          "No checkpoint directory: restores count every task attempt since the restored"
              + " checkpoint as a failure of its videos (no attempt journal)");
      return null;
    }
    AttemptJournal j =
        new AttemptJournal(
            AttemptJournal.folder(
                new Path(dir),
                context.getJobInfo().getJobId().toString(),
                operator.toString(),
                subtask()));
    LOG.info("Attempt journal of this subtask: {}", j.dir());
    return j;
  }
}
