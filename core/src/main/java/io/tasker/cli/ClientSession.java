package io.tasker.cli;

import io.tasker.client.HttpTaskerClient;
import io.tasker.client.LocalTaskerClient;
import io.tasker.client.TaskerClient;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine;

/**
 * The {@link TaskerClient} of one CLI command: over REST when a server URL is given ({@code --url}
 * or {@code TASKER_URL}), else directly on the database.
 */
final class ClientSession implements AutoCloseable {
  /** How long one REST request may take (waits get their own timeout on top). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final TaskerClient client;
  private final Session session;

  private ClientSession(TaskerClient client, Session session) {
    this.client = client;
    this.session = session;
  }

  /**
   * @param waits the command waits for tasks to finish: locally, listen for their notifications
   */
  static ClientSession open(CommandLine.Model.CommandSpec spec, boolean waits) {
    TaskerCli root = TaskerCli.root(spec);
    var remote = root.remote();
    if (remote.isPresent()) {
      TaskerCli.Remote r = remote.get();
      return new ClientSession(
          new HttpTaskerClient(URI.create(r.url()), r.apiKey(), r.token(), REQUEST_TIMEOUT), null);
    }
    Session s = Session.open(spec, waits ? 3 : Session.SHORT_COMMAND_POOL);
    try {
      return new ClientSession(new LocalTaskerClient(s.engine(), waits ? s.waker() : null), s);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  TaskerClient client() {
    return client;
  }

  /** The database session, when this command runs locally (null over REST). */
  Session local() {
    return session;
  }

  @Override
  public void close() {
    client.close();
    if (session != null) {
      session.close();
    }
  }
}
