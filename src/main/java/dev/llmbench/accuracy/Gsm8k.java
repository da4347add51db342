package dev.llmbench.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbench.config.ConfigException;
import dev.llmbench.io.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GSM8K (github.com/openai/grade-school-math, MIT licence; {@code src/main/resources/gsm8k/README.md} says
 * which commit): the 1,319 test questions ({@value #TEST}) and the first training examples, the few-shot
 * shots ({@value #SHOTS}), read from the classpath. Each line is {@code {"question": "...", "answer":
 * "...#### <number>"}}; a line that is not is refused with its file and line number.
 *
 * <p>Prompts are built as SGLang's {@code benchmark/gsm8k/bench_sglang.py} builds them: the shots as
 * {@code "Question: <q>\nAnswer: <a>\n\n"}, then {@code "Question: <q>\nAnswer:"}; the model continues
 * with its chain of thought. SGLang's script takes its shots from the first lines of the test file it
 * then asks (so its first questions are answered in their own prompt); the shots here are the first lines
 * of the training split, which the test questions never are.
 */
public final class Gsm8k {
  /** The test split's resource. */
  public static final String TEST = "gsm8k/test.jsonl";
  /** The first lines of the training split, the few-shot examples. */
  public static final String SHOTS = "gsm8k/train-shots.jsonl";
  /** Where a reference answer's number is: after {@code ####} at its end. */
  private static final Pattern REFERENCE = Pattern.compile("####\\s*(-?[\\d,]+(?:\\.\\d+)?)\\s*$");

  /**
   * One question.
   *
   * @param line its line number in its file, from 1
   * @param question the question
   * @param answer the reference's worked answer, ending {@code #### <number>}
   * @param reference the number after {@code ####}, commas stripped
   */
  public record Item(int line, String question, String answer, BigDecimal reference) {}

  private Gsm8k() {}

  private static final class Test {
    static final List<Item> ITEMS = load(TEST);
  }

  private static final class Shots {
    static final List<Item> ITEMS = load(SHOTS);
  }

  /** The test split, in its file's order. */
  public static List<Item> test() {
    return Test.ITEMS;
  }

  /** The shots on hand, in the training file's order. */
  public static List<Item> shots() {
    return Shots.ITEMS;
  }

  private static List<Item> load(String resource) {
    InputStream in = Gsm8k.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new ConfigException(resource + " is not on the classpath (it ships in src/main/resources)");
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return read(resource, r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * The items of a GSM8K JSON Lines file; blank lines are skipped.
   *
   * @param name the file's name for messages
   * @throws ConfigException at the first malformed line: {@code <name>:<line>: <what>}
   */
  public static List<Item> read(String name, BufferedReader in) throws IOException {
    List<Item> items = new ArrayList<>();
    try {
      JsonLines.read(name, in, (lineNo, node) -> {
        String question = text(node, "question", name, lineNo);
        String answer = text(node, "answer", name, lineNo);
        Matcher m = REFERENCE.matcher(answer);
        if (!m.find()) {
          throw new ConfigException(name + ":" + lineNo + ": field 'answer' must end with '#### <number>', got \""
              + tail(answer) + "\"");
        }
        items.add(new Item(lineNo, question, answer, new BigDecimal(m.group(1).replace(",", ""))));
      });
    } catch (JsonLines.BadLine e) {
      throw new ConfigException(e.getMessage(), e); // <name>:<line>: not valid JSON: ...
    }
    return List.copyOf(items);
  }

  private static String text(JsonNode node, String field, String name, int lineNo) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigException(name + ":" + lineNo + ": field '" + field + "' must be a non-empty string, got "
          + (v == null ? "none" : v.toString()));
    }
    return v.asText();
  }

  private static String tail(String s) {
    return s.length() <= 40 ? s : "..." + s.substring(s.length() - 40);
  }

  /** One example as the prompt shows it: with its worked answer for a shot, open for the question asked. */
  public static String example(Item item, boolean withAnswer) {
    return "Question: " + item.question() + "\nAnswer:" + (withAnswer ? " " + item.answer() : "");
  }

  /** The few-shot head of every prompt: the first {@code k} shots, each followed by a blank line. */
  public static String fewShot(int k) {
    if (k < 0 || k > shots().size()) {
      throw new IllegalArgumentException("shots must be in [0, " + shots().size() + "], but was " + k);
    }
    StringBuilder sb = new StringBuilder();
    for (Item shot : shots().subList(0, k)) {
      sb.append(example(shot, true)).append("\n\n");
    }
    return sb.toString();
  }

  /** The prompt of one question after the few-shot head. */
  public static String prompt(String fewShot, Item item) {
    return fewShot + example(item, false);
  }

  /**
   * The question a prompt asks last: the text between its last {@code "Question: "} and the
   * {@code "\nAnswer:"} after it, or null when it has none (the emulator's lookup).
   */
  public static String lastQuestion(String prompt) {
    if (prompt == null) {
      return null;
    }
    int q = prompt.lastIndexOf("Question: ");
    if (q < 0) {
      return null;
    }
    int a = prompt.indexOf("\nAnswer:", q);
    return a < 0 ? null : prompt.substring(q + "Question: ".length(), a);
  }
}
