package org.tttvideo.jobs.local;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.jobs.GenerationJob;

/**
 * The generation job on a Flink MiniCluster in this JVM, with the web dashboard on a fixed port of
 * {@code localhost} (flink-runtime-web is on the classpath). The cluster lives as long as the job:
 * {@link #close()} cancels the job, which shuts the cluster and its dashboard down.
 *
 * <pre>{@code
 * try (LocalFlink flink = LocalFlink.submit(job, 8081, 1)) {
 *   flink.awaitRunning(Duration.ofMinutes(2));
 *   flink.dashboardUrl();    // http://localhost:8081/#/job/running/<id>/overview
 * }
 * }</pre>
 */
public final class LocalFlink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final JobClient client;
  private final int dashboardPort;
  private boolean closed;

  private LocalFlink(JobClient client, int dashboardPort) {
    this.client = client;
    this.dashboardPort = dashboardPort;
  }

  /**
   * Starts a MiniCluster with {@code parallelism} task slots and the dashboard on {@code
   * dashboardPort}, and submits {@code job} to it without waiting.
   *
   * @param dashboardPort the REST and dashboard port; the caller checks that it is free ({@link
   *     Ports})
   */
  public static LocalFlink submit(GenerationJob job, int dashboardPort, int parallelism)
      throws Exception {
    return submit(job, dashboardPort, parallelism, null);
  }

  /**
   * As {@link #submit(GenerationJob, int, int)}, restoring the job from {@code restoreFrom} (a
   * retained checkpoint's directory or its {@code _metadata}) when it is not null. The new job
   * claims the checkpoint: Flink deletes it once a newer one of the new job subsumes it.
   */
  public static LocalFlink submit(
      GenerationJob job, int dashboardPort, int parallelism, String restoreFrom) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, dashboardPort);
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    // The REST API answers only the dashboard's own origin, and takes no jars: a web page opened
    // on this machine must not be able to upload and run code through it.
    conf.set(WebOptions.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:" + dashboardPort);
    conf.set(WebOptions.SUBMIT_ENABLE, false);
    // The generation state is held on the heap (a few videos of at most ~13 MB each) and written
    // in full to the file system at each checkpoint (GenerationJobOptions.CHECKPOINT_DIR).
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
      conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
    }
    conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    job.build(env);
    JobClient client = env.executeAsync(GenerationJob.NAME);
    LOG.info("submitted {} as job {}", GenerationJob.NAME, client.getJobID());
    return new LocalFlink(client, dashboardPort);
  }

  public JobID jobId() {
    return client.getJobID();
  }

  /** The dashboard's root, {@code http://localhost:<port>/}. */
  public String dashboardRoot() {
    return "http://localhost:" + dashboardPort + "/";
  }

  /** The dashboard's page of the job. */
  public String dashboardUrl() {
    return dashboardRoot() + "#/job/running/" + client.getJobID() + "/overview";
  }

  /** The job's status now. */
  public JobStatus status() throws Exception {
    return client.getJobStatus().get(10, TimeUnit.SECONDS);
  }

  /**
   * Waits until the job runs.
   *
   * @throws IllegalStateException when it ends first (with the cause) or does not run in time
   */
  public void awaitRunning(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JobStatus s = status();
      if (s == JobStatus.RUNNING) {
        return;
      }
      if (s.isGloballyTerminalState()) {
        throw new IllegalStateException("the generation job ended at start: " + s + failure());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the generation job was not running after " + timeout.toSeconds() + " s (" + s + ")");
      }
      Thread.sleep(100);
    }
  }

  /**
   * A problem with the job, when it is no longer running or restarting: its status and cause. Empty
   * while it runs (or is restarting after a task failure).
   */
  public Optional<String> problem() {
    try {
      JobStatus s = status();
      if (s.isGloballyTerminalState() || s == JobStatus.SUSPENDED) {
        return Optional.of("the generation job ended: " + s + failure());
      }
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of("the generation job cannot be reached: " + e.getMessage());
    }
  }

  private String failure() {
    try {
      client.getJobExecutionResult().get(5, TimeUnit.SECONDS);
      return "";
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      while (c.getCause() != null && c.getCause() != c) {
        c = c.getCause();
      }
      return " (" + c + ")";
    } catch (Exception e) {
      return "";
    }
  }

  /** Cancels the job, which stops the MiniCluster and the dashboard; waits for both (bounded). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      JobStatus s = client.getJobStatus().get(10, TimeUnit.SECONDS);
      if (!s.isGloballyTerminalState()) {
        client.cancel().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("cancelling job {} failed", client.getJobID(), e);
    }
    try {
      // completes once the job is over and its MiniCluster has shut down
      client.getJobExecutionResult().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      LOG.info("job {} ended: {}", client.getJobID(), e.getCause().toString());
    } catch (TimeoutException e) {
      LOG.warn("the MiniCluster did not stop within {}", STOP_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
