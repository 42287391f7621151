package io.forceflux.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
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
 * A real {@code redis-server} child process on a free loopback port, for tests and benchmarks: no
 * persistence, bounded start (PING until PONG) and stop. The binary is {@code redis-server} from the
 * {@code PATH} when there is one; otherwise the one shipped in the {@code com.github.codemonstur:embedded-redis}
 * jar (Linux x86-64 and arm64, macOS), extracted once per machine into the temporary directory. That jar is an
 * optional dependency of the testkit: a project that uses {@code RedisServer} on a machine without Redis adds it
 * (test scope). The first start prints which binary and version run, so test output says which Redis was used.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisTokenStore store = RedisTokenStore.builder(redis.uri()).build();
 *     // ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe: start, kill and restart it from one thread.
 */
public final class RedisServer implements AutoCloseable {

  private static final Duration START_BOUND = Duration.ofSeconds(10);
  private static final Duration STOP_BOUND = Duration.ofSeconds(10);

  private final int port;
  private final Path log;
  private @Nullable Process process;

  private RedisServer(int port) throws IOException {
    this.port = port;
    this.log = Files.createTempFile("forceflux-redis-" + port + "-", ".log");
  }

  /**
   * Starts one on a free loopback port and returns once it answers PING.
   *
   * @return the running server
   * @throws IllegalStateException if {@code redis-server} is not installed, exits early, or does not answer
   *     within 10 s
   */
  public static RedisServer start() {
    RedisServer server;
    try {
      server = new RedisServer(freePort());
    } catch (IOException e) {
      throw new IllegalStateException("could not start redis-server", e);
    }
    server.restart();
    return server;
  }

  /**
   * The port it listens on, on 127.0.0.1; the same across {@link #restart()}s.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Its URI, for Redis clients.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Whether the process is alive.
   *
   * @return true between a successful start and {@link #kill()}
   */
  public boolean running() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Starts it (again) on the same port, with no data; returns once it answers PING. Does nothing if it is
   * running.
   *
   * @throws IllegalStateException if {@code redis-server} is not installed, exits early, or does not answer
   *     within 10 s
   */
  public void restart() {
    if (running()) {
      return;
    }
    List<String> command = List.of(RedisBinary.path(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--protected-mode", "no");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + RedisBinary.path(), e);
    }
    process = p;
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (!ping()) {
      try {
        // A bounded wait on the process doubles as the poll delay and notices an early exit.
        if (p.waitFor(25, TimeUnit.MILLISECONDS)) {
          process = null;
          throw new IllegalStateException("redis-server exited with " + p.exitValue() + ": " + logTail());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        process = null;
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        process = null;
        throw new IllegalStateException("redis-server did not answer PING within " + START_BOUND + ": "
            + logTail());
      }
    }
  }

  /**
   * Kills it at once (SIGKILL), as a crash would; its data is lost (no persistence). Does nothing if it is
   * not running; {@link #restart()} starts it again.
   *
   * @throws IllegalStateException if the process is still alive 10 s later
   */
  public void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("redis-server did not die within " + STOP_BOUND);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** {@linkplain #kill() Kills} it and deletes its log file. */
  @Override
  public void close() {
    kill();
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // A leftover temporary file is harmless.
    }
  }

  @Override
  public String toString() {
    return "RedisServer[" + uri() + (running() ? "" : ", stopped") + "]";
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
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
