package org.tttvideo.jobs.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The output of an end-to-end script, copied to the test's standard output and to a list. */
final class ScriptOutput {
  private ScriptOutput() {}

  /** Starts a daemon thread that reads {@code script}'s output into {@code lines}, prefixed. */
  static Thread follow(Process script, String name, List<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                  System.out.println("[" + name + "] " + l);
                }
              } catch (IOException e) {
                lines.add("(reading the script's output failed: " + e + ")");
              }
            },
            name + " output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
