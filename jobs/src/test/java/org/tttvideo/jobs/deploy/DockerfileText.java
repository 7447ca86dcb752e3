package org.tttvideo.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as text: its instructions (continuation lines joined, comments dropped), the
 * defaults of its {@code ARG}s and its {@code ENV} values, and {@code ${VAR}} expansion with them.
 * Enough to compare a Dockerfile with the build; not a Dockerfile parser.
 *
 * <pre>{@code
 * DockerfileText d = DockerfileText.read(Path.of("deploy/docker/Dockerfile"));
 * d.arg("FLINK_VERSION");                                 // "2.2.1"
 * d.expand("flink:${FLINK_VERSION}-java${JAVA_VERSION}"); // "flink:2.2.1-java17"
 * }</pre>
 */
final class DockerfileText {
  private static final Pattern VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");

  /** One instruction: {@code FROM}, {@code RUN}, ... and the rest of its (joined) line. */
  record Instruction(String keyword, String rest) {}

  private final String name;
  private final List<Instruction> instructions;
  private final Map<String, String> args = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();

  private DockerfileText(String name, List<Instruction> instructions) {
    this.name = name;
    this.instructions = instructions;
    for (Instruction i : instructions) {
      if (i.keyword().equals("ARG")) {
        String[] kv = i.rest().split("=", 2);
        if (kv.length == 2) {
          args.putIfAbsent(kv[0].trim(), kv[1].trim());
        }
      } else if (i.keyword().equals("ENV")) {
        for (String part : i.rest().trim().split("\\s+")) {
          String[] kv = part.split("=", 2);
          if (kv.length == 2) {
            env.put(kv[0], kv[1]);
          }
        }
      }
    }
  }

  static DockerfileText read(Path file) {
    try {
      return parse(file.getFileName().toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DockerfileText parse(String name, String text) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder cur = null;
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("#") || (cur == null && line.isEmpty())) {
        continue;
      }
      boolean more = line.endsWith("\\");
      String body = more ? line.substring(0, line.length() - 1) : line;
      cur = cur == null ? new StringBuilder(body) : cur.append(' ').append(body);
      if (!more) {
        String s = cur.toString().strip();
        int sp = s.indexOf(' ');
        out.add(
            sp < 0
                ? new Instruction(s.toUpperCase(), "")
                : new Instruction(s.substring(0, sp).toUpperCase(), s.substring(sp + 1).strip()));
        cur = null;
      }
    }
    return new DockerfileText(name, out);
  }

  String name() {
    return name;
  }

  List<Instruction> instructions() {
    return instructions;
  }

  List<String> all(String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(i -> i.rest())
        .toList();
  }

  /** The default of {@code ARG name=...}, or null. */
  String arg(String name) {
    return args.get(name);
  }

  /** The value of {@code ENV name=...}, or null. */
  String env(String name) {
    return env.get(name);
  }

  /** {@code s} with {@code ${VAR}} and {@code $VAR} replaced by ARG defaults and ENV values. */
  String expand(String s) {
    for (int round = 0; round < 5 && s.contains("$"); round++) {
      Matcher m = VAR.matcher(s);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String v = env.containsKey(m.group(1)) ? env.get(m.group(1)) : args.get(m.group(1));
        m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
      }
      m.appendTail(b);
      s = b.toString();
    }
    return s;
  }
}
