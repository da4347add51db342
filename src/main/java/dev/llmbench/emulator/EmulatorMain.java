package dev.llmbench.emulator;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone until interrupted:
 *
 * <pre>
 *   mvn -q compile exec:java -Demulator.port=8000 [-Demulator.dialect=llama-cpp] [-Demulator.ground.truth.file=gt.jsonl]
 * </pre>
 *
 * Every {@code emulator.*} property is listed in docs/emulator.md. Exit codes: 0 on interrupt, 2 on a bad
 * property or a port that cannot be bound.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    EmulatorConfig config;
    LlmEmulator emulator;
    try {
      config = EmulatorConfig.fromProperties(Props.system());
      emulator = new LlmEmulator(config).start();
    } catch (ConfigException | IllegalStateException | IllegalArgumentException e) {
      System.err.println("emulator: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stop.countDown();
    }, "emulator-shutdown"));
    System.out.println("LLM serving emulator listening on " + emulator.baseUrl() + " (" + config.describe()
        + "; transport in use: " + emulator.transport().name().toLowerCase(Locale.ROOT) + ")");
    System.out.println("Try: curl -N " + emulator.baseUrl() + "/v1/chat/completions -H 'Content-Type: application/json' "
        + "-d '{\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],\"max_tokens\":8,\"stream\":true}'");
    stop.await();
  }
}
