package io.forceflux.reactor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} child process on a free loopback port, for tests: no persistence, bounded
 * start (PING until PONG) and stop. Fails with a clear message when {@code redis-server} is not installed
 * (CI installs the Debian package).
 */
final class RedisServer implements AutoCloseable {
  private static final Duration START_BOUND = Duration.ofSeconds(10);

  private final int port;
  private final Path log;
  private @Nullable Process process;

  private RedisServer(int port) throws IOException {
    this.port = port;
    this.log = Files.createTempFile("forceflux-redis-" + port + "-", ".log");
  }

  /** Starts one on a free port. */
  static RedisServer start() {
    try {
      RedisServer server = new RedisServer(freePort());
      server.restart();
      return server;
    } catch (IOException e) {
      throw new AssertionError("could not start redis-server", e);
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** Starts (again) on the same port; returns once it answers PING. */
  void restart() {
    if (running()) {
      return;
    }
    List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--protected-mode", "no");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("redis-server is not installed or not on PATH (apt-get install -y redis-server); "
          + "these tests need a real Redis", e);
    }
    process = p;
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (!ping()) {
      try {
        // A bounded wait on the process doubles as the poll delay and notices an early exit.
        if (p.waitFor(25, TimeUnit.MILLISECONDS)) {
          throw new AssertionError("redis-server exited with " + p.exitValue() + ": " + logTail());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while starting redis-server", e);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("redis-server did not answer PING within " + START_BOUND + ": " + logTail());
      }
    }
  }

  /** Kills it at once (SIGKILL), as a crash would; data is lost (no persistence). */
  void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("redis-server did not die within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    kill();
  }

  private boolean ping() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int n = in.readNBytes(reply, 0, 7);
      return n == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() {
    try {
      String text = Files.readString(log);
      return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
