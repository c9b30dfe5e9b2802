package io.tasker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of PostgreSQL that, once armed, lets one transaction commit and then cuts
 * the connection before the client hears back: the real network fault behind an ambiguous commit
 * (the server committed, the client sees a broken connection). The transaction chosen is the first
 * whose statements contain {@code marker}; clients must connect with {@code prepareThreshold=0} so
 * every statement's text crosses the wire. With {@code autocommit}, the marked statement is its own
 * transaction (no COMMIT crosses the wire): its reply comes after its commit and is dropped.
 */
public final class CommitReplyDropper implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final byte[] marker;
  private final boolean autocommit;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final CountDownLatch dropped = new CountDownLatch(1);

  public CommitReplyDropper(String targetHost, int targetPort, String marker) throws IOException {
    this(targetHost, targetPort, marker, false);
  }

  public CommitReplyDropper(String targetHost, int targetPort, String marker, boolean autocommit)
      throws IOException {
    this.autocommit = autocommit;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.marker = marker.getBytes(StandardCharsets.UTF_8);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The next marked transaction's commit reply is dropped (once). */
  public void arm() {
    armed.set(true);
  }

  /** Counted down when a commit reply was dropped. */
  public CountDownLatch dropped() {
    return dropped;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        new Link(client, server).start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One client connection: a pump each way, and the state of the transaction in progress. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean markedTransaction;
    private volatile boolean commitSent;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      Thread.ofVirtual().start(this::clientToServer);
      Thread.ofVirtual().start(this::serverToClient);
    }

    private void clientToServer() {
      pump(
          client,
          server,
          chunk -> {
            if (armed.get() && contains(chunk, marker)) {
              markedTransaction = true;
            }
            if (markedTransaction
                && (autocommit || contains(chunk, "COMMIT".getBytes(StandardCharsets.US_ASCII)))) {
              commitSent = true;
            }
            return true;
          });
    }

    private void serverToClient() {
      pump(
          server,
          client,
          chunk -> {
            if (commitSent && armed.compareAndSet(true, false)) {
              close(); // the server has committed (this is its answer): the client never knows
              dropped.countDown();
              return false;
            }
            return true;
          });
    }

    private void pump(Socket from, Socket to, java.util.function.Predicate<byte[]> forward) {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          byte[] chunk = java.util.Arrays.copyOf(buf, n);
          if (!forward.test(chunk)) {
            return;
          }
          out.write(chunk);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away
      } finally {
        close();
      }
    }

    private void close() {
      try {
        client.close();
        server.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
