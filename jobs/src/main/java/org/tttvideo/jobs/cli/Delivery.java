package org.tttvideo.jobs.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes storyboard files as records of {@code storyboards} and, when asked, follows the job's
 * output until each of their videos is ready, failed or rejected: what {@code local} and {@code
 * submit --wait} share.
 */
final class Delivery {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaClients clients;
  private final Topics topics;
  private final int maxRequestBytes;
  private final PrintWriter out;
  private final PrintWriter err;

  Delivery(
      KafkaClients clients, Topics topics, int maxRequestBytes, PrintWriter out, PrintWriter err) {
    this.clients = clients;
    this.topics = topics;
    this.maxRequestBytes = maxRequestBytes;
    this.out = out;
    this.err = err;
  }

  /**
   * Publishes every input as one record and waits for Kafka's acknowledgement of each.
   *
   * @throws CliException when a record cannot be published within the bounded time
   */
  void publish(Submissions submissions, List<StoryboardInput> inputs, boolean quiet) {
    List<Submissions.Submission> added = new ArrayList<>();
    for (StoryboardInput in : inputs) {
      added.add(submissions.add(in));
    }
    try (KafkaProducer<byte[], byte[]> producer = clients.producer(maxRequestBytes)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topics.storyboards(), key(added.get(i)), inputs.get(i).value())));
      }
      for (int i = 0; i < inputs.size(); i++) {
        Submissions.Submission s = added.get(i);
        RecordMetadata m;
        try {
          m = sent.get(i).get(KafkaClients.REACH_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          throw new CliException(
              CliException.FAILURE,
              "publishing '"
                  + s.label()
                  + "' to topic "
                  + topics.storyboards()
                  + " on "
                  + clients.bootstrapServers()
                  + " failed: "
                  + KafkaClients.rootMessage(e),
              e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException(CliException.FAILURE, "interrupted while publishing", e);
        }
        submissions.published(s, m.topic(), m.partition(), m.offset());
        if (!quiet) {
          out.println(
              "published "
                  + s.label()
                  + " -> "
                  + m.topic()
                  + "/"
                  + m.partition()
                  + "@"
                  + m.offset()
                  + " ("
                  + describeVideos(s)
                  + ")");
        }
      }
      out.flush();
    }
  }

  /** The Kafka key: the video id when the record holds exactly one video with a known id. */
  private static byte[] key(Submissions.Submission s) {
    if (s.slots().size() == 1 && !s.slots().get(0).expectedVideoId().isEmpty()) {
      return s.slots().get(0).expectedVideoId().getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  private static String describeVideos(Submissions.Submission s) {
    List<String> ids = new ArrayList<>();
    for (Submissions.Slot slot : s.slots()) {
      ids.add(slot.expectedVideoId().isEmpty() ? "?" : slot.expectedVideoId());
    }
    return (ids.size() == 1 ? "video " : ids.size() + " videos: ") + String.join(", ", ids);
  }

  /**
   * Follows the output topics until every submitted video is done, the deadline passes, {@code
   * jobProblem} reports a problem, or {@code stopping} becomes true. Prints a line per finished
   * video and the progress bars of the submitted videos.
   *
   * @return true when every video is done
   */
  boolean await(
      OutputFollower follower,
      Submissions submissions,
      ProgressView view,
      Duration timeout,
      Supplier<Optional<String>> jobProblem,
      BooleanSupplier stopping) {
    long deadline =
        timeout == null || timeout.isZero()
            ? Long.MAX_VALUE
            : System.nanoTime() + timeout.toNanos();
    long nextJobCheck = 0;
    while (!submissions.allDone()) {
      if (stopping.getAsBoolean()) {
        return false;
      }
      for (VideoEvent e : follower.poll(POLL)) {
        if (e instanceof VideoEvent.Progress p) {
          if (submissions.expects(p.videoId())) {
            view.update(p.progress());
          }
        } else if (e instanceof VideoEvent.Unreadable u) {
          err.println("warning: " + EventFormat.describe(u));
          err.flush();
        } else if (submissions.offer(e).isPresent()) {
          view.note(noteFor(e));
        }
      }
      if (System.nanoTime() > nextJobCheck) {
        Optional<String> problem = jobProblem.get();
        if (problem.isPresent()) {
          view.clear();
          throw new CliException(CliException.FAILURE, problem.get());
        }
        nextJobCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
      if (System.nanoTime() > deadline) {
        view.clear();
        return false;
      }
    }
    view.clear();
    return true;
  }

  static String noteFor(VideoEvent e) {
    if (e instanceof VideoEvent.Ready r) {
      return "finished " + EventFormat.ready(r.ready());
    }
    if (e instanceof VideoEvent.Failed f) {
      return "failed " + EventFormat.failed(f.failed());
    }
    if (e instanceof VideoEvent.Rejected r) {
      return "rejected " + EventFormat.rejected(r.rejection());
    }
    return EventFormat.describe(e);
  }

  /** Prints the closing lines; returns the exit status (0 when every storyboard gave a video). */
  int close(Submissions submissions, boolean complete, Duration timeout) {
    for (String line : submissions.closingLines()) {
      out.println(line);
    }
    out.flush();
    if (!complete) {
      err.println(
          "error: "
              + (timeout == null || timeout.isZero()
                  ? "stopped before the outcome of "
                  : "no outcome within " + timeout.toSeconds() + " s for ")
              + String.join(", ", submissions.pendingVideoIds()));
      err.flush();
      return ExitCodes.NOT_ALL_VIDEOS;
    }
    return submissions.allVideos() ? ExitCodes.OK : ExitCodes.NOT_ALL_VIDEOS;
  }
}
