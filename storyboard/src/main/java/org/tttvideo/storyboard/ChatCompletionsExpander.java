package org.tttvideo.storyboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands a summary (Format 1) by asking an OpenAI-compatible chat-completions endpoint to write
 * the segments. One POST per try with the configured timeout; timeouts, connection failures, HTTP
 * 429 and 5xx, and unusable answers are tried again after an exponentially growing wait, up to
 * {@link ChatCompletionsConfig#maxAttempts()}; any other HTTP status fails at once. When all tries
 * fail the result is {@link StoryboardExpander.Result#failed}, which the caller turns into an
 * {@link RejectionCode#EXPANDER_FAILED} rejection: never an exception.
 *
 * <p>The model is asked to answer with only {@code {"segments": [{"text": ..., "sceneStart":
 * ...}]}} holding exactly the requested number of segments. An answer wrapped in a Markdown code
 * fence, or a bare list, is accepted; anything else (wrong count, empty text, not JSON) is an
 * unusable answer.
 *
 * <pre>{@code
 * StoryboardExpander e = new ChatCompletionsExpander(ChatCompletionsConfig.of(
 *     URI.create("http://localhost:8000/v1/chat/completions"), "my-model", "TTT_EXPANDER_API_KEY"));
 * }</pre>
 */
public final class ChatCompletionsExpander implements StoryboardExpander {
  private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionsExpander.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The prefix of {@link #name()}; the model name follows it. */
  public static final String NAME_PREFIX = "chat-completions:";

  static final String SYSTEM_PROMPT =
      "You write storyboards for a video generator. The video is made of segments of 3 seconds"
          + " each. Given a summary of the whole video and a number N, write exactly N segments"
          + " that tell the summary in order. Each segment's text is one paragraph of 2 to 4"
          + " sentences that describes only what is visible in those 3 seconds: characters,"
          + " setting, action, camera. Set sceneStart to true on a segment where a new scene"
          + " begins (the first segment always begins one). Answer with only a JSON object, no"
          + " other text: {\"segments\": [{\"text\": \"...\", \"sceneStart\": true}, ...]}.";

  /** Waits between tries; replaced in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final ChatCompletionsConfig config;
  private final UnaryOperator<String> environment;
  private final Sleeper sleeper;
  private final HttpClient client;

  /** An expander that reads the API key from the process environment. */
  public ChatCompletionsExpander(ChatCompletionsConfig config) {
    this(config, System::getenv, d -> Thread.sleep(d.toMillis()));
  }

  /**
   * @param environment looks up environment variables (tests pass a map's {@code get})
   * @param sleeper waits between tries
   */
  public ChatCompletionsExpander(
      ChatCompletionsConfig config, UnaryOperator<String> environment, Sleeper sleeper) {
    if (config == null || environment == null || sleeper == null) {
      throw new IllegalArgumentException("config, environment and sleeper must be given");
    }
    this.config = config;
    this.environment = environment;
    this.sleeper = sleeper;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.timeout())
            .build();
  }

  @Override
  public String name() {
    return NAME_PREFIX + config.model();
  }

  @Override
  public Result expand(Request request) {
    String apiKey = "";
    if (!config.apiKeyEnvVar().isEmpty()) {
      apiKey = environment.apply(config.apiKeyEnvVar());
      if (apiKey == null || apiKey.isBlank()) {
        return Result.failed(
            "the environment variable "
                + config.apiKeyEnvVar()
                + " that should hold the API key is not set");
      }
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(config.endpoint())
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(request)));
    if (!apiKey.isEmpty()) {
      builder.header("Authorization", "Bearer " + apiKey);
    }
    HttpRequest httpRequest = builder.build();

    String lastFailure = "no try was made";
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        try {
          sleeper.sleep(config.backoffBefore(attempt));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Result.failed("interrupted while waiting to try again; last: " + lastFailure);
        }
      }
      Outcome o = tryOnce(httpRequest, request);
      if (o.result != null) {
        return o.result;
      }
      lastFailure = o.failure;
      LOG.warn(
          "summary expansion try {}/{} at {} failed: {}",
          attempt,
          config.maxAttempts(),
          config.endpoint(),
          o.failure);
      if (!o.retryable) {
        break;
      }
    }
    return Result.failed(
        "the chat-completions endpoint "
            + config.endpoint()
            + " failed after "
            + config.maxAttempts()
            + " tries at most: "
            + lastFailure);
  }

  private record Outcome(Result result, String failure, boolean retryable) {}

  private Outcome tryOnce(HttpRequest httpRequest, Request request) {
    HttpResponse<byte[]> response;
    try {
      response = client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Outcome(null, "no answer within " + config.timeout().toMillis() + " ms", true);
    } catch (IOException e) {
      return new Outcome(null, "request failed: " + e, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, "interrupted", false);
    }
    int status = response.statusCode();
    if (status != 200) {
      boolean retry = status == 429 || status >= 500;
      return new Outcome(null, "HTTP " + status + ": " + excerpt(response.body()), retry);
    }
    try {
      List<Segment> segments = parseAnswer(response.body(), request);
      return new Outcome(Result.ok(segments), "", false);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, "unusable answer: " + e.getMessage(), true);
    }
  }

  private byte[] requestBody(Request request) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", config.model());
    body.put("temperature", 0);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
    messages
        .addObject()
        .put("role", "user")
        .put("content", "N = " + request.segmentCount() + "\nSummary:\n" + request.summary());
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  /** The segments in an answer, or an IllegalArgumentException saying what is wrong with it. */
  static List<Segment> parseAnswer(byte[] body, Request request) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the response is not JSON");
    }
    JsonNode content =
        root == null ? null : root.path("choices").path(0).path("message").path("content");
    if (content == null || !content.isTextual()) {
      throw new IllegalArgumentException("no choices[0].message.content string in the response");
    }
    String text = stripFence(content.textValue().strip());
    JsonNode answer;
    try {
      answer = MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("the message content is not JSON: " + excerpt(text));
    }
    JsonNode list = answer != null && answer.isObject() ? answer.get("segments") : answer;
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("the message content has no \"segments\" list");
    }
    if (list.size() != request.segmentCount()) {
      throw new IllegalArgumentException(
          list.size() + " segments instead of " + request.segmentCount());
    }
    List<Segment> segments = new ArrayList<>(list.size());
    for (JsonNode item : list) {
      int i = segments.size();
      JsonNode t = item.isTextual() ? item : item.get("text");
      if (t == null || !t.isTextual() || t.textValue().isBlank()) {
        throw new IllegalArgumentException("segment " + i + " has no text");
      }
      JsonNode scene = item.isObject() ? item.get("sceneStart") : null;
      boolean sceneStart = i == 0 || (scene != null && scene.isBoolean() && scene.booleanValue());
      segments.add(new Segment(i, t.textValue(), request.negativeText(), sceneStart));
    }
    return segments;
  }

  private static String stripFence(String s) {
    if (s.startsWith("```")) {
      int nl = s.indexOf('\n');
      int end = s.lastIndexOf("```");
      if (nl > 0 && end > nl) {
        return s.substring(nl + 1, end).strip();
      }
    }
    return s;
  }

  private static String excerpt(byte[] body) {
    return excerpt(new String(body, StandardCharsets.UTF_8));
  }

  private static String excerpt(String s) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
