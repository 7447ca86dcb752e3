package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.tttvideo.storyboard.StoryboardParser;

/**
 * What {@code ttt-video local} finds of an earlier run in its work folder: the newest retained
 * checkpoint to restore the job from, and the storyboard records that were published before, which
 * tell the videos still unfinished.
 *
 * <p>The work folder holds the broker's data ({@code kafka/}) and the job's checkpoints ({@code
 * checkpoints/<job id>/chk-<n>/_metadata}, kept on cancellation). A restored job continues every
 * video it had in flight from its cursor, and reads the storyboards from the offsets in the
 * checkpoint, so nothing is generated twice and nothing published is forgotten.
 */
final class LocalResume {
  private LocalResume() {}

  /** A record of the storyboards topic. */
  record Published(String topic, int partition, long offset, byte[] value) {
    String label() {
      return topic + "/" + partition + "@" + offset;
    }

    boolean sameValue(byte[] other) {
      return Arrays.equals(value, other);
    }
  }

  /**
   * The newest complete retained checkpoint under {@code checkpointsDir} (the directory of the one
   * whose {@code _metadata} was written last), or empty when there is none.
   */
  static Optional<Path> latestCheckpoint(Path checkpointsDir) {
    if (!Files.isDirectory(checkpointsDir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(checkpointsDir)) {
      List<Path> metadata = new ArrayList<>();
      for (Path job : jobs.filter(Files::isDirectory).collect(Collectors.toList())) {
        try (Stream<Path> chks = Files.list(job)) {
          chks.filter(c -> c.getFileName().toString().startsWith("chk-"))
              .map(c -> c.resolve("_metadata"))
              .filter(Files::isRegularFile)
              .forEach(metadata::add);
        }
      }
      return metadata.stream()
          .max(Comparator.comparing(LocalResume::modified))
          .map(Path::getParent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoints in " + checkpointsDir, e);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** Every record of {@code topic} up to its end as it is now, in partition and offset order. */
  static List<Published> readAll(KafkaClients clients, String topic, Duration timeout) {
    List<Published> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer()) {
      List<TopicPartition> parts = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, KafkaClients.REACH_TIMEOUT);
      if (infos == null) {
        return out;
      }
      infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts, KafkaClients.REACH_TIMEOUT);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (KafkaClients.behindEnd(consumer, parts, ends)) {
        if (System.nanoTime() > deadline) {
          throw new CliException(
              CliException.FAILURE,
              "reading the earlier storyboards of topic "
                  + topic
                  + " took longer than "
                  + timeout.toSeconds()
                  + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            out.add(new Published(r.topic(), r.partition(), r.offset(), r.value()));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(Published::partition).thenComparingLong(Published::offset));
    return out;
  }

  /**
   * Tracks what an earlier run in the work folder published: a given file whose bytes were
   * published before is followed at that record instead of published again (so running the same
   * command again after Ctrl-C or a crash waits for the resumed video), and every earlier record
   * whose videos have no outcome yet is followed too. Returns the files still to publish.
   */
  static List<StoryboardInput> followEarlier(
      Submissions submissions,
      StoryboardParser parser,
      KafkaClients clients,
      Topics topics,
      List<StoryboardInput> inputs,
      List<VideoEvent> past,
      Duration readTimeout,
      PrintWriter out) {
    List<Published> records = readAll(clients, topics.storyboards(), readTimeout);
    if (records.isEmpty()) {
      return inputs;
    }
    // which earlier records have an outcome for every video already
    Submissions earlier = new Submissions(parser);
    List<Submissions.Submission> earlierSubmissions = new ArrayList<>();
    for (Published r : records) {
      Submissions.Submission s = earlier.add(new StoryboardInput(r.label(), r.value()));
      earlier.published(s, r.topic(), r.partition(), r.offset());
      earlierSubmissions.add(s);
    }
    for (VideoEvent e : past) {
      if (!(e instanceof VideoEvent.Progress)) {
        earlier.offer(e);
      }
    }
    Set<Published> followed = new HashSet<>();
    List<StoryboardInput> toPublish = new ArrayList<>();
    for (StoryboardInput in : inputs) {
      Optional<Published> same =
          records.stream().filter(r -> r.sameValue(in.value())).reduce((a, b) -> b);
      if (same.isPresent()) {
        Published r = same.get();
        Submissions.Submission s = submissions.add(in);
        submissions.published(s, r.topic(), r.partition(), r.offset());
        followed.add(r);
        out.println(
            in.label() + " was published by an earlier run as " + r.label() + "; following it");
      } else {
        toPublish.add(in);
      }
    }
    for (int i = 0; i < records.size(); i++) {
      Published r = records.get(i);
      boolean unfinished =
          earlierSubmissions.get(i).slots().stream().anyMatch(slot -> !slot.done());
      if (unfinished && !followed.contains(r)) {
        Submissions.Submission s = submissions.add(new StoryboardInput(r.label(), r.value()));
        submissions.published(s, r.topic(), r.partition(), r.offset());
        out.println("resuming " + r.label() + ", unfinished in an earlier run");
      }
    }
    out.flush();
    return toPublish;
  }
}
