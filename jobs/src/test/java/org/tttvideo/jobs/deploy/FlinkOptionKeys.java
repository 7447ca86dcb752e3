package org.tttvideo.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * Every Flink configuration key that the classes on the test class path declare: the public static
 * {@link ConfigOption} fields of every class in {@code org.apache.flink.configuration} (whatever
 * jar holds it) and of a few option classes elsewhere (RocksDB, Kubernetes, the job result store),
 * with their deprecated fallback keys, the templated keys ({@code external-resource.<name>.amount})
 * as patterns, and the documented prefixes ({@code containerized.taskmanager.env.}).
 *
 * <pre>{@code
 * FlinkOptionKeys keys = FlinkOptionKeys.fromClassPath();
 * keys.lookup("taskmanager.numberOfTaskSlots");  // Found: TaskManagerOptions.NUM_TASK_SLOTS
 * keys.lookup("state.checkpoints.dir");          // Found, deprecated for execution.checkpointing.dir
 * keys.lookup("taskmanager.numberOfTaskSlot");   // empty
 * }</pre>
 */
final class FlinkOptionKeys {
  /** Option classes outside {@code org.apache.flink.configuration}, where present. */
  static final List<String> FRIEND_CLASSES =
      List.of(
          "org.apache.flink.state.rocksdb.RocksDBOptions",
          "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions",
          "org.apache.flink.runtime.highavailability.JobResultStoreOptions",
          "org.apache.flink.kubernetes.configuration.KubernetesConfigOptions",
          "org.apache.flink.kubernetes.configuration.KubernetesHighAvailabilityOptions");

  private static final String PACKAGE = "org/apache/flink/configuration/";

  /** Where a key was found. */
  record Found(String key, String declaredIn, ConfigOption<?> option, String replacedBy) {
    /** Whether the key is a deprecated name of the option (or the option itself is deprecated). */
    boolean deprecated() {
      return replacedBy != null;
    }
  }

  private final Map<String, Found> exact = new LinkedHashMap<>();
  private final Map<Pattern, String> templates = new LinkedHashMap<>();
  private final Map<String, String> prefixes = new LinkedHashMap<>();
  private final Set<String> classes = new TreeSet<>();

  private FlinkOptionKeys() {}

  /** Scans {@code org.apache.flink.configuration} in every jar and {@link #FRIEND_CLASSES}. */
  static FlinkOptionKeys fromClassPath() {
    FlinkOptionKeys keys = new FlinkOptionKeys();
    ClassLoader loader = FlinkOptionKeys.class.getClassLoader();
    Set<String> names = new TreeSet<>();
    try {
      Enumeration<URL> dirs = loader.getResources(PACKAGE);
      while (dirs.hasMoreElements()) {
        names.addAll(classesIn(dirs.nextElement()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    names.addAll(FRIEND_CLASSES);
    for (String name : names) {
      Class<?> c;
      try {
        c = Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        continue; // a friend class whose module is not on the class path
      }
      keys.scan(c);
    }
    return keys;
  }

  /** Top-level class names under {@link #PACKAGE} at {@code dir} (a jar entry or a folder). */
  private static List<String> classesIn(URL dir) throws IOException {
    List<String> out = new ArrayList<>();
    if ("jar".equals(dir.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) dir.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        jar.stream()
            .map(e -> e.getName())
            .filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class") && !n.contains("$"))
            .filter(n -> n.indexOf('/', PACKAGE.length()) < 0)
            .forEach(n -> out.add(n.substring(0, n.length() - 6).replace('/', '.')));
      }
    } else if ("file".equals(dir.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
        files
            .map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".class") && !n.contains("$"))
            .forEach(n -> out.add(PACKAGE.replace('/', '.') + n.substring(0, n.length() - 6)));
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private void scan(Class<?> c) {
    boolean any = false;
    for (Field f : c.getFields()) {
      int m = f.getModifiers();
      if (!Modifier.isStatic(m)) {
        continue;
      }
      String where = c.getSimpleName() + "." + f.getName();
      Object value;
      try {
        value = f.get(null);
      } catch (IllegalAccessException e) {
        continue;
      }
      if (value instanceof ConfigOption<?> option) {
        any = true;
        boolean deprecatedField = f.isAnnotationPresent(Deprecated.class);
        // A suffix option's key is relative: metrics.reporter.<name> + "." + factory.class
        Documentation.SuffixOption suffix = f.getAnnotation(Documentation.SuffixOption.class);
        String prefix = suffix == null ? "" : suffix.value() + ".";
        add(
            prefix + option.key(),
            new Found(prefix + option.key(), where, option, deprecatedField ? "" : null));
        for (FallbackKey fk : option.fallbackKeys()) {
          add(
              prefix + fk.getKey(),
              new Found(
                  prefix + fk.getKey(), where, option, fk.isDeprecated() ? option.key() : null));
        }
      } else if (value instanceof String s
          && f.getName().endsWith("PREFIX")
          && s.endsWith(".")
          && s.length() > 2) {
        prefixes.putIfAbsent(s, where);
      }
    }
    if (any) {
      classes.add(c.getName());
    }
  }

  private void add(String key, Found found) {
    if (key.contains("<")) {
      if (key.replaceAll("<[^>]*>", "").replace(".", "").isEmpty()) {
        throw new IllegalStateException(
            found.declaredIn() + ": key '" + key + "' is all placeholders; it would match any key");
      }
      templates.putIfAbsent(template(key), found.declaredIn());
    } else {
      exact.putIfAbsent(key, found);
    }
  }

  /** {@code a.<x>.b.<y>} as a pattern: each placeholder is one or more characters. */
  private static Pattern template(String key) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < key.length()) {
      int open = key.indexOf('<', i);
      if (open < 0) {
        re.append(Pattern.quote(key.substring(i)));
        break;
      }
      int close = key.indexOf('>', open);
      re.append(Pattern.quote(key.substring(i, open))).append(".+");
      i = close + 1;
    }
    return Pattern.compile(re.toString());
  }

  /** The exact option of {@code key}, or the template or prefix it matches (then no option). */
  Optional<Found> lookup(String key) {
    Found f = exact.get(key);
    if (f != null) {
      return Optional.of(f);
    }
    for (Map.Entry<Pattern, String> t : templates.entrySet()) {
      if (t.getKey().matcher(key).matches()) {
        return Optional.of(new Found(key, t.getValue(), null, null));
      }
    }
    for (Map.Entry<String, String> p : prefixes.entrySet()) {
      if (key.startsWith(p.getKey()) && key.length() > p.getKey().length()) {
        return Optional.of(new Found(key, p.getValue(), null, null));
      }
    }
    return Optional.empty();
  }

  /** Names of the classes that declared at least one option. */
  Set<String> classes() {
    return Collections.unmodifiableSet(classes);
  }

  /** Number of exact keys (current and deprecated names). */
  int size() {
    return exact.size();
  }

  /** Known keys within a few typos of {@code key}, closest first, for a helpful message. */
  List<String> similar(String key) {
    int most = Math.max(2, key.length() / 10);
    return exact.keySet().stream()
        .filter(k -> distance(k, key) <= most)
        .sorted((a, b) -> Integer.compare(distance(a, key), distance(b, key)))
        .limit(3)
        .toList();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
