package org.tttvideo.jobs.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Port checks for local mode: a fixed port that is taken must give a clear error before anything
 * starts, not a stack trace from deep inside Kafka or Netty.
 */
public final class Ports {
  private Ports() {}

  /**
   * Whether a server could listen on {@code port} now, on every interface (so a listener on any
   * address of that port counts as taken). With SO_REUSEADDR, as Kafka's and Flink's servers bind:
   * connections of a server that just stopped, still in TIME_WAIT, do not make the port taken.
   */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Checks that {@code port} is free.
   *
   * @param what what would listen there, e.g. "Kafka"
   * @param option the option that chooses another port, e.g. "--kafka-port"
   * @throws IllegalStateException naming the port, what needs it and the option
   */
  public static void requireFree(int port, String what, String option) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          option + " is " + port + "; a port is a number from 1 to 65535");
    }
    if (!isFree(port)) {
      throw new IllegalStateException(
          "port "
              + port
              + " ("
              + what
              + ") is already in use; stop what uses it or choose another port with "
              + option);
    }
  }

  /** A port that was free a moment ago (the operating system's choice). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
