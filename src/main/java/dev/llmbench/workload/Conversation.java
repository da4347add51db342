package dev.llmbench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-turn session's conversation so far, as a chat client holds it: an optional system message, then
 * each user turn and the server's answer to it. Immutable: each turn makes a new one, which the virtual
 * user's session carries ({@code Keys.CONVERSATION}). Every request of it carries its {@link #sessionId}.
 *
 * @param sessionId sent as the {@code X-Session-ID} header of every request of the session
 * @param messages the messages in order
 */
public record Conversation(String sessionId, List<Message> messages) {
  /** The header every request of a session carries. */
  public static final String SESSION_HEADER = "X-Session-ID";

  /** One message: {@code role} is {@code system}, {@code user} or {@code assistant}. */
  public record Message(String role, String content) {}

  public Conversation {
    messages = List.copyOf(messages);
  }

  /** A new conversation, with a system message when {@code system} is not null. */
  public static Conversation start(String sessionId, String system) {
    // A session id goes into a request head as it is: only characters a header value may hold. Checked once
    // here, not on every turn's copy.
    if (!sessionId.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new IllegalArgumentException("a session id must be 1 to 128 letters, digits, '.', '_', ':' or '-', but was "
          + sessionId);
    }
    return new Conversation(sessionId, system == null ? List.of() : List.of(new Message("system", system)));
  }

  /** The conversation with the user's next turn added. */
  public Conversation withUser(String text) {
    return with(new Message("user", text));
  }

  /** The conversation with the server's answer added. */
  public Conversation withAssistant(String text) {
    return with(new Message("assistant", text));
  }

  /** User turns so far: the number of the turn being asked, once its user message is added. */
  public int turns() {
    return (int) messages.stream().filter(m -> m.role().equals("user")).count();
  }

  /**
   * The conversation as one prompt, for an API without messages (completions, SGLang's generate, TRT-LLM):
   * the messages' texts one after another, each on its own line, as a plain template would put them.
   */
  public String flattened() {
    return String.join("\n", messages.stream().map(Message::content).toList());
  }

  private Conversation with(Message m) {
    List<Message> all = new ArrayList<>(messages);
    all.add(m);
    return new Conversation(sessionId, all);
  }
}
