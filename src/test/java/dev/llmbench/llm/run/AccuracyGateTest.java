package dev.llmbench.llm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.report.model.Accuracy;
import dev.llmbench.stream.Backend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The gate's requests in every API shape, against the emulator's GSM8K mode, and its configuration. */
class AccuracyGateTest {
  private static final int QUESTIONS = 12;

  private static AccuracyConfig config(String... more) {
    Map<String, String> props = new java.util.HashMap<>(Map.of("accuracy", "gsm8k",
        "accuracy.questions", Integer.toString(QUESTIONS), "accuracy.concurrency", "4"));
    for (int i = 0; i < more.length; i += 2) {
      props.put(more[i], more[i + 1]);
    }
    return AccuracyConfig.from(Props.of(props));
  }

  private static AccuracyGate.Outcome ask(Backend backend, String emulatorAccuracy) {
    Map<String, String> emulator = emulatorAccuracy == null ? Map.of() : Map.of("emulator.accuracy", emulatorAccuracy);
    try (Target target = Target.resolve(null, Props.of(emulator), null)) {
      return AccuracyGate.run(config(), target, backend, target.emulator().config().model(), Duration.ofSeconds(30));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyApiIsAskedAndScored(Backend backend) {
    Accuracy right = ask(backend, "1").accuracy();
    assertEquals(QUESTIONS, right.correct(), right.details());
    assertTrue(right.passed());
    Accuracy wrong = ask(backend, "0").accuracy();
    assertEquals(0, wrong.correct(), wrong.details());
    assertEquals(0, wrong.invalid(), "a wrong number is still a number");
    assertFalse(wrong.passed());
  }

  @Test
  void aServerThatAnswersWithoutNumbersIsInvalid() {
    // Without its GSM8K mode the emulator answers with words of its vocabulary: no number at all.
    AccuracyGate.Outcome o = ask(Backend.OPENAI, null);
    assertEquals(QUESTIONS, o.accuracy().invalid(), o.accuracy().details());
    assertEquals(0, o.accuracy().correct());
    assertNull(o.firstError());
  }

  @Test
  void theSkipSwitchTurnsTheGateOff() {
    assertTrue(config().enabled());
    assertFalse(config("accuracy.skip", "true").enabled());
    assertFalse(AccuracyConfig.from(Props.of(Map.of())).enabled(), "off unless asked for");
  }

  @Test
  void badSettingsNameTheProperty() {
    assertTrue(assertThrows(ConfigException.class, () -> config("accuracy", "mmlu")).getMessage()
        .startsWith("accuracy must be gsm8k or off, but was mmlu"));
    assertTrue(assertThrows(ConfigException.class, () -> config("accuracy.treshold", "0.9")).getMessage()
        .startsWith("unknown property accuracy.treshold"));
    assertTrue(assertThrows(ConfigException.class, () -> config("accuracy.questions", "5000")).getMessage()
        .contains("accuracy.questions"));
  }
}
