package org.tttvideo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStatsSummarySnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.bytedeco.ffmpeg.global.avutil;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.jobs.GenerationJob;
import org.tttvideo.jobs.GenerationJobOptions;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.operators.generation.GenerationOperatorOptions;
import org.tttvideo.operators.generation.GeneratorFactory;
import org.tttvideo.operators.generation.StoryboardRequests;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardParser;

/**
 * The whole generation job on a Flink MiniCluster, against the same generation called directly on
 * {@link Generator}: videos per hour, work units per second, checkpoint size and duration (from the
 * job's checkpoint statistics), and the operator overhead as a ratio. A printed run, not a test.
 *
 * <pre>
 * mvn -q -Dbuild.dir.name=target-job -pl bench -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=runtime -Dmdep.outputFile=target-job/classpath.txt
 * java --add-modules jdk.incubator.vector \
 *     -cp bench/target-job/classes:$(cat bench/target-job/classpath.txt) \
 *     org.tttvideo.bench.PipelineBenchmark [--presets tiny,small] [--videos 12 tiny, 3 others]
 *     [--segments 3] [--steps 0 (the preset's)] [--parallelism 1] [--threads 0 (all cores / parallelism)]
 *     [--slice-ms 200] [--checkpoint-ms 1000] [--max-active 2]
 *     [--state-backend hashmap|rocksdb] [--incremental false]
 * </pre>
 *
 * <p>What runs: N storyboards of S segments enter through an in-memory source (the same records the
 * Kafka source makes; after them the source idles with a rejection every 200 ms, so the job keeps
 * running and checkpointing as it would on Kafka), then validation, the keyed generation operator
 * (time-sliced units from timers, state written per unit, checkpoints in between), the assembler
 * (H.264 encoding and storing in a temporary directory) and an in-memory sink. Kafka itself is not
 * measured.
 *
 * <p>One video is generated directly first, untimed, so that neither side runs cold code.
 *
 * <ul>
 *   <li><b>job time</b>: from the first work unit of any video to the last VideoReady (deployment
 *       and the source's start excluded); <b>videos per hour</b> and <b>units per second</b> are
 *       over this time.
 *   <li><b>direct time</b>: the same requests through {@link Generator#generate} on as many threads
 *       as the job has subtasks, each with its own generator of the same backend and thread count;
 *       no Flink, no state, no encoding.
 *   <li><b>overhead</b> = job time / direct time: what time slicing, state writes, checkpoints,
 *       record copies, encoding and storing add to the model's own work.
 * </ul>
 *
 * <p>{@code tiny} decodes to 16x16 pixels (the smallest the H.264 encoder takes), {@code small} to
 * 192x128. Weights are untrained (drawn from a seed): speed does not depend on them.
 */
public final class PipelineBenchmark {
  private PipelineBenchmark() {}

  /** The state backend of the job (--state-backend) and whether its checkpoints are incremental. */
  static String STATE_BACKEND = "hashmap";

  static boolean INCREMENTAL = false;

  /** The bench's model: a preset, optionally with another spatial compression, untrained. */
  record BenchModel(String preset, int spatialCompression, int threads)
      implements GeneratorFactory {
    ModelConfig config() {
      ModelConfig c = ModelConfig.preset(preset);
      return spatialCompression == c.spatialCompression()
          ? c
          : c.toBuilder().spatialCompression(spatialCompression).build();
    }

    @Override
    public Generator create(int deviceIndex) {
      // The operator closes the generator, and with it this backend's threads.
      return Generator.owning(
          ComputeBackends.create(ComputeBackends.DEFAULT, threads), ModelWeights.init(config(), 0));
    }
  }

  /** What one run measured. */
  record Result(
      String preset,
      ModelConfig config,
      int videos,
      int segments,
      int steps,
      long unitsPerVideo,
      long unitsSeen,
      int ready,
      int failed,
      double jobSeconds,
      double wallSeconds,
      double directSeconds,
      double directBefore,
      double directAfter,
      long checkpoints,
      CompletedCheckpointStatsSummarySnapshot summary) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    List<String> presets = List.of(a.getOrDefault("presets", "tiny,small").split(","));
    String videosArg = a.get("videos"); // default: 12 tiny videos, 3 of the others
    int segments = Integer.parseInt(a.getOrDefault("segments", "3"));
    int stepsArg = Integer.parseInt(a.getOrDefault("steps", "0"));
    int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "1"));
    int threadsArg = Integer.parseInt(a.getOrDefault("threads", "0"));
    int threads =
        threadsArg > 0
            ? threadsArg
            : Math.max(1, Runtime.getRuntime().availableProcessors() / parallelism);
    long sliceMs = Long.parseLong(a.getOrDefault("slice-ms", "200"));
    long checkpointMs = Long.parseLong(a.getOrDefault("checkpoint-ms", "1000"));
    int maxActive = Integer.parseInt(a.getOrDefault("max-active", "2"));
    STATE_BACKEND = a.getOrDefault("state-backend", "hashmap");
    INCREMENTAL = Boolean.parseBoolean(a.getOrDefault("incremental", "false"));

    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg prints every file's streams otherwise
    System.out.printf(
        Locale.ROOT,
        "PipelineBenchmark: %d cores (load average %.2f), parallelism %d, %d compute thread(s) per subtask, slice %d"
            + " ms, checkpoint every %d ms to the file system, %d active videos per subtask,"
            + " state backend %s%s%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        parallelism,
        threads,
        sliceMs,
        checkpointMs,
        maxActive,
        STATE_BACKEND,
        INCREMENTAL ? " (incremental checkpoints)" : "");
    List<Result> results = new ArrayList<>();
    for (String preset : presets) {
      BenchModel model =
          new BenchModel(preset, ModelConfig.preset(preset).spatialCompression(), threads);
      int steps = stepsArg > 0 ? stepsArg : model.config().steps();
      int videos = videosArg != null ? Integer.parseInt(videosArg) : preset.equals("tiny") ? 12 : 3;
      Result r = run(model, videos, segments, steps, parallelism, sliceMs, checkpointMs, maxActive);
      print(r);
      results.add(r);
    }
    System.out.println();
    System.out.println(
        "preset  videos/h (job)  videos/h (direct)  units/s (job)  ckpt size avg  ckpt ms avg/max"
            + "  overhead");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-7s %14.0f %18.0f %14.1f %12s %9d/%-6d %9.2f%n",
          r.preset,
          r.videos * 3600 / r.jobSeconds,
          r.videos * 3600 / r.directSeconds,
          r.unitsSeen / r.jobSeconds,
          bytes(r.summary.getStateSizeStats().getAverage()),
          r.summary.getEndToEndDurationStats().getAverage(),
          r.summary.getEndToEndDurationStats().getMaximum(),
          r.jobSeconds / r.directSeconds);
    }
    System.exit(0); // the MiniCluster's and ND4J's non-daemon threads
  }

  static Result run(
      BenchModel model,
      int videos,
      int segments,
      int steps,
      int parallelism,
      long sliceMs,
      long checkpointMs,
      int maxActive)
      throws Exception {
    ModelConfig config = model.config();
    List<byte[]> values = new ArrayList<>();
    List<Storyboard> storyboards = new ArrayList<>();
    for (int v = 0; v < videos; v++) {
      byte[] json = storyboard(config.name() + "-" + v, 1000 + v, segments, steps);
      values.add(json);
      storyboards.add(new StoryboardParser().parse(json).storyboards().get(0));
    }
    long unitsPerVideo = new WorkPlan(config, segments, steps).total();

    // ---- warm-up: one video directly, so that neither side below runs cold code
    direct(model, config, storyboards.subList(0, 1), 1);
    // ---- the same generation, directly, before the job (and again after it: see below)
    double directBefore = direct(model, config, storyboards, parallelism);

    // ---- the job
    PipelineProbes.READY.set(0);
    PipelineProbes.FAILED.set(0);
    PipelineProbes.UNITS.set(0);
    PipelineProbes.FIRST_UNIT_NANOS.set(0);
    PipelineProbes.ARRIVALS.clear();
    Path out = Files.createTempDirectory("ttt-pipeline-bench-");
    Configuration options =
        GenerationJobOptions.fromMap(
            Map.of(
                GenerationJobOptions.MODEL_PRESET.key(),
                model.preset(),
                GenerationJobOptions.OUTPUT_DIR.key(),
                out.toUri().toString(),
                GenerationJobOptions.CHECKPOINT_INTERVAL.key(),
                checkpointMs + " ms",
                GenerationJobOptions.TIME_SLICE.key(),
                sliceMs + " ms",
                GenerationJobOptions.MAX_ACTIVE_VIDEOS.key(),
                Integer.toString(maxActive),
                GenerationJobOptions.RESTART_ATTEMPTS.key(),
                "0",
                GenerationJobOptions.CHECKPOINT_DIR.key(),
                Files.createTempDirectory("ttt-pipeline-bench-checkpoints-").toUri().toString()));
    GenerationOperatorOptions generation =
        GenerationJobOptions.operatorOptions(options)
            .withObserver(new PipelineProbes.CountingObserver());
    GenerationJob job =
        new GenerationJob(
            options,
            new DataGeneratorSource<>(
                new PipelineProbes.Storyboards(values),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(5),
                TypeInformation.of(ParsedRecord.class)),
            new DiscardingSink<>(),
            new PipelineProbes.CountingSink(),
            new DiscardingSink<>(),
            model,
            generation);
    Configuration backend = new Configuration();
    backend.set(StateBackendOptions.STATE_BACKEND, STATE_BACKEND);
    backend.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, INCREMENTAL);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(backend);
    env.setParallelism(parallelism);
    job.build(env);

    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .setConfiguration(new Configuration())
                .build());
    cluster.start();
    CheckpointStatsSnapshot stats;
    double jobSeconds;
    double wallSeconds;
    try {
      long submitted = System.nanoTime();
      JobID id = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (PipelineProbes.READY.get() + PipelineProbes.FAILED.get() < videos) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the job did not finish its videos in 30 minutes");
        }
        Thread.sleep(20);
      }
      long last = PipelineProbes.ARRIVALS.stream().mapToLong(x -> x[0]).max().orElseThrow();
      jobSeconds = (last - PipelineProbes.FIRST_UNIT_NANOS.get()) / 1e9;
      wallSeconds = (last - submitted) / 1e9;
      stats = cluster.getExecutionGraph(id).get().getCheckpointStatsSnapshot();
      cluster.cancelJob(id).get();
    } finally {
      cluster.closeAsync().get();
      deleteTree(out);
    }

    // ---- and after it: the mean of both is less skewed by a machine whose load drifts
    double directAfter = direct(model, config, storyboards, parallelism);
    double directSeconds = (directBefore + directAfter) / 2;

    return new Result(
        model.preset(),
        config,
        videos,
        segments,
        steps,
        unitsPerVideo,
        PipelineProbes.UNITS.get(),
        PipelineProbes.READY.get(),
        PipelineProbes.FAILED.get(),
        jobSeconds,
        wallSeconds,
        directSeconds,
        directBefore,
        directAfter,
        stats.getCounts().getNumberOfCompletedCheckpoints(),
        stats.getSummaryStats());
  }

  /**
   * Seconds to generate every storyboard with Generator.generate on {@code parallelism} threads.
   */
  static double direct(
      BenchModel model, ModelConfig config, List<Storyboard> storyboards, int parallelism)
      throws Exception {
    ConcurrentLinkedQueue<Storyboard> todo = new ConcurrentLinkedQueue<>(storyboards);
    List<Generator> generators = new ArrayList<>();
    for (int p = 0; p < parallelism; p++) {
      generators.add(model.create(-1)); // built before the clock starts, as in open()
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (Generator g : generators) {
        workers.add(
            pool.submit(
                () -> {
                  Storyboard s;
                  while ((s = todo.poll()) != null) {
                    g.generate(StoryboardRequests.toRequest(s, config));
                  }
                }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      pool.shutdown();
    }
  }

  static void print(Result r) {
    ModelConfig c = r.config;
    CompletedCheckpointStatsSummarySnapshot s = r.summary;
    System.out.printf(
        Locale.ROOT,
        "%n%s: %dx%d at %d fps, %d videos x %d segments x %d steps, %d units per video%n",
        r.preset,
        c.latentWidth() * c.spatialCompression(),
        c.latentHeight() * c.spatialCompression(),
        c.fps(),
        r.videos,
        r.segments,
        r.steps,
        r.unitsPerVideo);
    System.out.printf(
        Locale.ROOT,
        "  job:    %d VideoReady, %d VideoFailed; %d units run (expected %d); %.2f s from first"
            + " unit to last video (%.2f s from submission)%n",
        r.ready,
        r.failed,
        r.unitsSeen,
        r.unitsPerVideo * r.videos,
        r.jobSeconds,
        r.wallSeconds);
    System.out.printf(
        Locale.ROOT,
        "          %.1f videos per hour, %.1f units per second%n",
        r.videos * 3600 / r.jobSeconds,
        r.unitsSeen / r.jobSeconds);
    System.out.printf(
        Locale.ROOT,
        "          %d checkpoints: state size avg %s max %s, checkpointed size avg %s, end-to-end"
            + " duration avg %d ms max %d ms%n",
        r.checkpoints,
        bytes(s.getStateSizeStats().getAverage()),
        bytes(s.getStateSizeStats().getMaximum()),
        bytes(s.getCheckpointedSize().getAverage()),
        s.getEndToEndDurationStats().getAverage(),
        s.getEndToEndDurationStats().getMaximum());
    System.out.printf(
        Locale.ROOT,
        "  direct: %.2f s (mean of %.2f s before and %.2f s after the job; Generator.generate,"
            + " same requests, same threads): %.1f videos per hour, %.1f units per second%n",
        r.directSeconds,
        r.directBefore,
        r.directAfter,
        r.videos * 3600 / r.directSeconds,
        r.unitsPerVideo * r.videos / r.directSeconds);
    System.out.printf(
        Locale.ROOT, "  operator overhead: job / direct = %.2f%n", r.jobSeconds / r.directSeconds);
  }

  static byte[] storyboard(String videoId, long seed, int segments, int steps) {
    StringBuilder s = new StringBuilder();
    s.append("{\"format\": \"storyboard\", \"videoId\": \"")
        .append(videoId)
        .append("\", \"seed\": ")
        .append(seed)
        .append(", \"settings\": {\"denoisingSteps\": ")
        .append(steps)
        .append(", \"guidanceScale\": 6.0}, \"segments\": [");
    for (int i = 0; i < segments; i++) {
      s.append(i > 0 ? ", " : "")
          .append("{\"text\": \"Segment ")
          .append(i)
          .append(": a paper boat drifts down a rainy street.\"}");
    }
    return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static String bytes(long n) {
    if (n < 10 * 1024) {
      return n + " B";
    }
    if (n < 10L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      m.put(args[i].substring(2), args[i + 1]);
    }
    return m;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
