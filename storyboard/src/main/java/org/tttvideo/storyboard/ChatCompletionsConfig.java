package org.tttvideo.storyboard;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how {@link ChatCompletionsExpander} asks an OpenAI-compatible chat-completions endpoint
 * to expand a summary. The API key itself is never part of the configuration: only the
 * <em>name</em> of the environment variable that holds it, so that it stays out of job graphs, logs
 * and files.
 *
 * <pre>{@code
 * new ChatCompletionsConfig(URI.create("http://localhost:8000/v1/chat/completions"),
 *     "my-model", "TTT_EXPANDER_API_KEY", Duration.ofSeconds(30), 3, Duration.ofSeconds(1),
 *     Duration.ofSeconds(20));
 * }</pre>
 *
 * @param endpoint the full URL of the chat-completions resource (http or https)
 * @param model the model name sent in each request
 * @param apiKeyEnvVar name of the environment variable holding the API key, sent as a bearer token;
 *     empty for endpoints without authentication
 * @param timeout limit for one request (connect and answer)
 * @param maxAttempts tries in total, at least 1
 * @param initialBackoff wait before the second try; each further wait doubles
 * @param maxBackoff longest wait between tries
 */
public record ChatCompletionsConfig(
    URI endpoint,
    String model,
    String apiKeyEnvVar,
    Duration timeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public ChatCompletionsConfig {
    if (endpoint == null
        || endpoint.getScheme() == null
        || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
      throw new IllegalArgumentException("endpoint must be an http or https URL, was " + endpoint);
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be given");
    }
    if (apiKeyEnvVar == null) {
      throw new IllegalArgumentException("apiKeyEnvVar must not be null (use \"\" for none)");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be >= 0, was " + initialBackoff);
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= initialBackoff, was " + maxBackoff);
    }
  }

  /** Defaults for a local endpoint: 60 s timeout, 3 tries, backoff 1 s doubling up to 20 s. */
  public static ChatCompletionsConfig of(URI endpoint, String model, String apiKeyEnvVar) {
    return new ChatCompletionsConfig(
        endpoint,
        model,
        apiKeyEnvVar,
        Duration.ofSeconds(60),
        3,
        Duration.ofSeconds(1),
        Duration.ofSeconds(20));
  }

  /** The wait before try number {@code attempt} (2, 3, ...): exponential, capped. */
  public Duration backoffBefore(int attempt) {
    Duration d = initialBackoff;
    for (int i = 2; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
