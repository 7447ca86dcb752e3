package org.tttvideo.jobs.testutils;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-JVM KRaft broker per test class, started before the first test and closed after the last,
 * registered as a static field beside the MiniCluster:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.broker().createTopics(2, "storyboards");
 * }</pre>
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
  private EmbeddedKafka broker;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    broker = EmbeddedKafka.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** The running broker; only between the first and the last test of the class. */
  public EmbeddedKafka broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker runs only while the test class runs");
    }
    return broker;
  }
}
