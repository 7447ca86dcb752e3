package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint expander against a local HTTP server started by the test. */
class ChatCompletionsExpanderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final StoryboardExpander.Request REQUEST =
      new StoryboardExpander.Request(
          "A robot rolls through a market. It delivers dumplings.",
          List.of("A robot rolls through a market.", "It delivers dumplings."),
          3,
          "blur");

  /** What the server does for one request. */
  private interface Behaviour {
    void handle(HttpExchange ex, int requestNumber) throws IOException, InterruptedException;
  }

  private HttpServer server;
  private volatile Behaviour behaviour;
  private final AtomicInteger requests = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> authorization = new ConcurrentLinkedQueue<>();
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/v1/chat/completions",
        ex -> {
          int n = requests.incrementAndGet();
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          authorization.add(auth == null ? "" : auth);
          try {
            behaviour.handle(ex, n);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // the client gave up (timeout test)
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private ChatCompletionsExpander expander(String keyVar, Duration timeout, int attempts) {
    URI uri =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
    ChatCompletionsConfig config =
        new ChatCompletionsConfig(
            uri,
            "test-model",
            keyVar,
            timeout,
            attempts,
            Duration.ofMillis(100),
            Duration.ofMillis(150));
    return new ChatCompletionsExpander(
        config, Map.of("TEST_EXPANDER_KEY", "secret-123")::get, sleeps::add);
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static String completion(String content) {
    var root = MAPPER.createObjectNode();
    root.putArray("choices")
        .addObject()
        .putObject("message")
        .put("role", "assistant")
        .put("content", content);
    return root.toString();
  }

  private static final String GOOD =
      "{\"segments\": [{\"text\": \"A small robot rolls between stalls.\", \"sceneStart\": true},"
          + " {\"text\": \"It dodges a scooter.\", \"sceneStart\": false},"
          + " {\"text\": \"At the lantern stall it hands over dumplings.\", \"sceneStart\": true}]}";

  @Test
  void successSendsTheRequestAndReturnsTheSegments() throws Exception {
    behaviour = (ex, n) -> answer(ex, 200, completion(GOOD));

    StoryboardExpander.Result r =
        expander("TEST_EXPANDER_KEY", Duration.ofSeconds(5), 3).expand(REQUEST);

    assertThat(r.isOk()).as(r.failure()).isTrue();
    assertThat(r.segments())
        .containsExactly(
            new Segment(0, "A small robot rolls between stalls.", "blur", true),
            new Segment(1, "It dodges a scooter.", "blur", false),
            new Segment(2, "At the lantern stall it hands over dumplings.", "blur", true));
    assertThat(requests.get()).isEqualTo(1);
    assertThat(authorization).containsExactly("Bearer secret-123");
    JsonNode sent = MAPPER.readTree(bodies.peek());
    assertThat(sent.get("model").asText()).isEqualTo("test-model");
    assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(sent.get("messages").get(1).get("content").asText())
        .contains("N = 3")
        .contains("It delivers dumplings.");
  }

  @Test
  void anAnswerInACodeFenceIsAccepted() {
    behaviour = (ex, n) -> answer(ex, 200, completion("```json\n" + GOOD + "\n```"));
    assertThat(expander("", Duration.ofSeconds(5), 1).expand(REQUEST).isOk()).isTrue();
    assertThat(authorization).containsExactly("");
  }

  @Test
  void aTimeoutIsRetriedWithBackoffAndThenFails() {
    behaviour =
        (ex, n) -> {
          Thread.sleep(3_000);
          answer(ex, 200, completion(GOOD));
        };
    long t0 = System.nanoTime();

    StoryboardExpander.Result r = expander("", Duration.ofMillis(300), 2).expand(REQUEST);

    assertThat(r.isOk()).isFalse();
    assertThat(r.failure()).contains("no answer within 300 ms");
    assertThat(requests.get()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2_900));
  }

  @Test
  void http500IsRetriedAndCanRecover() {
    behaviour =
        (ex, n) -> {
          if (n < 3) {
            answer(ex, 500, "{\"error\": \"overloaded\"}");
          } else {
            answer(ex, 200, completion(GOOD));
          }
        };
    StoryboardExpander.Result r = expander("", Duration.ofSeconds(5), 3).expand(REQUEST);
    assertThat(r.isOk()).isTrue();
    assertThat(requests.get()).isEqualTo(3);
    // exponential backoff: 100 ms, then doubled but capped at 150 ms
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150));
  }

  @Test
  void http500EveryTimeFailsAfterAllTries() {
    behaviour = (ex, n) -> answer(ex, 500, "{\"error\": \"overloaded\"}");
    StoryboardExpander.Result r = expander("", Duration.ofSeconds(5), 3).expand(REQUEST);
    assertThat(r.isOk()).isFalse();
    assertThat(r.failure()).contains("HTTP 500").contains("overloaded");
    assertThat(requests.get()).isEqualTo(3);
  }

  @Test
  void aClientErrorIsNotRetried() {
    behaviour = (ex, n) -> answer(ex, 401, "{\"error\": \"bad key\"}");
    StoryboardExpander.Result r =
        expander("TEST_EXPANDER_KEY", Duration.ofSeconds(5), 3).expand(REQUEST);
    assertThat(r.failure()).contains("HTTP 401");
    assertThat(requests.get()).isEqualTo(1);
    assertThat(r.failure()).doesNotContain("secret-123");
  }

  @Test
  void malformedAnswersAreRejected() {
    List<String> answers =
        List.of(
            "not json at all",
            completion("Sure! Here is your storyboard: a robot..."),
            completion("{\"segments\": [{\"text\": \"only one\"}]}"),
            completion(
                "{\"segments\": [{\"text\": \"a\"}, {\"text\": \"  \"}, {\"text\": \"c\"}]}"),
            "{\"choices\": []}");
    for (String a : answers) {
      requests.set(0);
      behaviour = (ex, n) -> answer(ex, 200, a);
      StoryboardExpander.Result r = expander("", Duration.ofSeconds(5), 2).expand(REQUEST);
      assertThat(r.isOk()).as(a).isFalse();
      assertThat(r.failure()).as(a).contains("unusable answer");
      assertThat(requests.get()).as(a).isEqualTo(2);
    }
  }

  @Test
  void aMissingApiKeyFailsWithoutCallingTheEndpoint() {
    behaviour = (ex, n) -> answer(ex, 200, completion(GOOD));
    StoryboardExpander.Result r =
        expander("NOT_SET_ANYWHERE", Duration.ofSeconds(5), 3).expand(REQUEST);
    assertThat(r.failure()).contains("NOT_SET_ANYWHERE").contains("not set");
    assertThat(requests.get()).isZero();
  }

  @Test
  void anUnreachableEndpointFails() {
    int port = server.getAddress().getPort();
    server.stop(0);
    ChatCompletionsConfig config =
        new ChatCompletionsConfig(
            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"),
            "m",
            "",
            Duration.ofSeconds(2),
            2,
            Duration.ZERO,
            Duration.ZERO);
    StoryboardExpander.Result r =
        new ChatCompletionsExpander(config, k -> null, sleeps::add).expand(REQUEST);
    assertThat(r.failure()).contains("request failed");
  }

  @Test
  void throughTheParserAFailureIsAnExpanderFailedRejection() {
    behaviour = (ex, n) -> answer(ex, 500, "down");
    StoryboardParser parser =
        new StoryboardParser(StoryboardOptions.defaults(), expander("", Duration.ofSeconds(5), 1));
    ParseResult r =
        parser.parse(
            "{\"format\": \"summary\", \"segmentCount\": 3, \"text\": \"A. B.\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(r.rejections()).hasSize(1);
    assertThat(r.rejections().get(0).code()).isEqualTo(RejectionCode.EXPANDER_FAILED);

    behaviour = (ex, n) -> answer(ex, 200, completion(GOOD));
    Storyboard s =
        parser
            .parse(
                "{\"format\": \"summary\", \"segmentCount\": 3, \"text\": \"A. B.\"}"
                    .getBytes(StandardCharsets.UTF_8))
            .storyboards()
            .get(0);
    assertThat(s.expandedBy()).isEqualTo("chat-completions:test-model");
    assertThat(s.sceneCount()).isEqualTo(2);
  }
}
