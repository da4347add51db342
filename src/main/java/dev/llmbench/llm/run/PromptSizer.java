package dev.llmbench.llm.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import dev.llmbench.emulator.EmulatorConfig;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.tokenizer.TokenizerFile;
import dev.llmbench.tokenizer.VocabularyPrompts;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides how a run's random prompts are built so that a prompt of {@code n} tokens is {@code n}
 * tokens of the served model, and measures the chat template's overhead, before the load:
 * <ol>
 *   <li>{@code -Dtokenizer}: the model's tokenizer file ({@link TokenizerFile}), exact;
 *   <li>else the embedded emulator with its word tokenizer, or a prompt file: the word tokenizer's prompts
 *       and counts, as always;
 *   <li>else the server's {@code /tokenize} (vLLM's and SGLang's {@code {"model","prompt"}}, llama.cpp's
 *       {@code {"content"}}): the words of the default vocabulary it counts as one token each, found in
 *       one request when all are (else one request a word, once), and three sample prompts counted
 *       to check;
 *   <li>else the default vocabulary unmeasured, with a NOTE.
 * </ol>
 * The overhead is what the server's {@code usage.prompt_tokens} adds to a one-word prompt (a chat
 * template's markers, a BOS token), measured with one streamed request of {@code max_tokens} 1; the
 * post-run step takes it off the server's figures before comparing them with the planned ones.
 */
public final class PromptSizer {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PROMPT_TOKENS = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d+)");
  /** A one-word prompt whose length every method knows: one token in each of them. */
  static final String TINY_PROMPT = "the";
  private static final int SAMPLE_PROMPTS = 3;
  private static final int SAMPLE_TOKENS = 64;
  /** Fewer single-token words than this make prompts too repetitive: the default vocabulary is kept. */
  private static final int MIN_WORDS = 16;

  /**
   * How the prompts are built and what the start line says about it.
   *
   * @param prompts the builder
   * @param detail the start line's words after the method's description
   * @param notes NOTE lines (a fallback used)
   * @param templateOverheadTokens what usage.prompt_tokens adds to a prompt, or null when the server
   *     gave no count for the tiny prompt
   */
  public record Sizing(PromptTokens prompts, String detail, List<String> notes, Integer templateOverheadTokens) {
    /**
     * The sizing as {@code llm-run.json} records it: {@code promptSizing} {@code {"method", "detail",
     * "templateOverheadTokens"}}, for the post-run comparison.
     */
    public RunDescription.Sizing record() {
      return new RunDescription.Sizing(prompts.method().wireName(), detail, templateOverheadTokens);
    }

    /**
     * The load with the sizing's method as its parameter {@code promptSizingMethod} when it is not the
     * word tokenizer (a baseline then compares only with prompts built the same way; runs of the word
     * tokenizer compare as before).
     */
    public LoadParameters record(LoadParameters load) {
      return prompts.method() == PromptTokens.Method.WORD_TOKENIZER ? load
          : load.withPromptSizingMethod(prompts.method().wireName());
    }

    /** The start line. */
    public String line() {
      return "prompts sized by " + prompts.method().description() + (detail.isEmpty() ? "" : " (" + detail + ")")
          + "; server's prompt-token overhead "
          + (templateOverheadTokens == null ? "unknown (no usage figure)" : templateOverheadTokens + " tokens");
    }
  }

  private PromptSizer() {}

  /**
   * The sizing of this run: for prompts from a file, only the overhead matters.
   *
   * @param pooling a run of pooling requests: no chat template, so no overhead is measured (0)
   */
  public static Sizing size(BenchConfig config, Target target, String model, boolean pooling) {
    List<String> notes = new ArrayList<>();
    PromptTokens prompts;
    String detail = "";
    EmulatorConfig.Tokenizer embedded = target.embedded() ? target.emulator().config().tokenizer() : null;
    if (config.tokenizer() != null) {
      TokenizerFile file = TokenizerFile.open(config.tokenizer());
      prompts = file;
      detail = file.file().toString();
    } else if (embedded == EmulatorConfig.Tokenizer.WORD || config.promptFile() != null || config.dataset() != null) {
      // A prompt file's lengths are counted in words (with no tokenizer file to count them): the check
      // after the run says how far that is from the server's count. A conversation dataset's likewise.
      prompts = PromptTokens.WORDS;
    } else {
      List<String> why = new ArrayList<>();
      Tokenize tokenize = Tokenize.probe(target, model, why);
      if (tokenize == null) {
        prompts = VocabularyPrompts.unmeasured();
        notes.add("the server at " + target.baseUrl() + " has no usable /tokenize (" + String.join("; ", why)
            + ") and no -Dtokenizer was given: prompts are "
            + "words of the default vocabulary (one token each in common tokenizers, not measured here); give "
            + "-Dtokenizer=<the model's tokenizer.json> for exact lengths");
      } else {
        Measured m = measure(tokenize);
        if (m.words.size() < MIN_WORDS) {
          prompts = VocabularyPrompts.unmeasured();
          notes.add(String.format(Locale.ROOT, "the server's /tokenize counts only %d of the default vocabulary's "
              + "words as one token: prompts are words of the default vocabulary, not sized; give -Dtokenizer=<the "
              + "model's tokenizer.json> for exact lengths", m.words.size()));
        } else {
          prompts = new VocabularyPrompts(PromptTokens.Method.SERVER_TOKENIZE, m.words);
          detail = String.format(Locale.ROOT, "%d of %d words one token; %d sample prompts of %d tokens counted %s",
              m.words.size(), VocabularyPrompts.defaultWords().size(), SAMPLE_PROMPTS, SAMPLE_TOKENS,
              samples(prompts, tokenize, m.constant));
        }
      }
    }
    Integer overhead = embedded == EmulatorConfig.Tokenizer.WORD || pooling ? Integer.valueOf(0) // adds nothing
        : overhead(config, target, model, prompts);
    return new Sizing(prompts, detail, List.copyOf(notes), overhead);
  }

  private record Measured(List<String> words, int constant) {}

  /** The default words the server counts as one token each, and what it adds to every text (a BOS). */
  private static Measured measure(Tokenize tokenize) {
    int base = tokenize.tinyPromptTokens; // counted by the probe
    int constant = base - 1;
    List<String> all = VocabularyPrompts.defaultWords();
    if (tokenize.count(String.join(" ", all)) - constant == all.size()) {
      return new Measured(all, constant); // the usual case: one request
    }
    List<String> single = new ArrayList<>();
    for (String w : all) {
      if (tokenize.count(TINY_PROMPT + " " + w) - base == 1) {
        single.add(w);
      }
    }
    return new Measured(single, constant);
  }

  private static List<Integer> samples(PromptTokens prompts, Tokenize tokenize, int constant) {
    Random random = new Random(SAMPLE_TOKENS);
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < SAMPLE_PROMPTS; i++) {
      counts.add(tokenize.count(prompts.build(SAMPLE_TOKENS, random).text()) - constant);
    }
    return counts;
  }

  /** usage.prompt_tokens of the tiny prompt less its planned length; null when the server sends no usage. */
  static Integer overhead(BenchConfig config, Target target, String model, PromptTokens prompts) {
    int planned = prompts.count(TINY_PROMPT);
    try {
      HttpResponse<String> resp =
          ServerInfo.post(target, config.backend().path(), config.backend().body(model, TINY_PROMPT, 1));
      Matcher m = PROMPT_TOKENS.matcher(resp.body());
      Integer last = null;
      while (m.find()) {
        last = Integer.valueOf(m.group(1));
      }
      return resp.statusCode() == 200 && last != null ? last - planned : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A server's /tokenize in the shape it answered. */
  static final class Tokenize {
    private final Target target;
    private final String model;
    private final boolean llamaCpp;
    /** What the last call answered instead of tokens, for the NOTE of a server without a usable /tokenize. */
    private String problem;
    /** The tokens of {@link #TINY_PROMPT}, counted when the endpoint was found. */
    private int tinyPromptTokens;

    private Tokenize(Target target, String model, boolean llamaCpp) {
      this.target = target;
      this.model = model;
      this.llamaCpp = llamaCpp;
    }

    /**
     * The server's /tokenize, llama.cpp's shape tried first, then vLLM's; null when neither answers,
     * with what each answered in {@code why} (an HTTP status, not a tokenize answer, or the error), so
     * that a /tokenize that failed is not reported as one that is not there.
     */
    static Tokenize probe(Target target, String model, List<String> why) {
      for (boolean llamaCpp : new boolean[] {true, false}) {
        Tokenize t = new Tokenize(target, model, llamaCpp);
        String shape = llamaCpp ? "llama.cpp's shape: " : "vLLM's shape: ";
        try {
          JsonNode tokens = t.tokens(TINY_PROMPT);
          if (tokens != null) {
            t.tinyPromptTokens = tokens.size();
            return t;
          }
          why.add(shape + t.problem);
        } catch (IOException e) {
          why.add(shape + ServerInfo.describe(e));
          return null; // not reachable the same way twice: the load will say what is wrong
        }
      }
      return null;
    }

    int count(String text) {
      try {
        JsonNode tokens = tokens(text);
        if (tokens == null) {
          throw new ConfigException("the server's /tokenize stopped answering while prompts were "
              + "sized; give -Dtokenizer=<the model's tokenizer.json>");
        }
        return tokens.size();
      } catch (IOException e) {
        throw new ConfigException("the server's /tokenize failed while prompts were sized ("
            + ServerInfo.describe(e) + "); give -Dtokenizer=<the model's tokenizer.json>", e);
      }
    }

    /** The tokens array of the answer, or null when the answer is not a tokenize answer. */
    private JsonNode tokens(String text) throws IOException {
      var body = MAPPER.createObjectNode();
      if (llamaCpp) {
        body.put("content", text);
      } else {
        body.put("model", model).put("prompt", text);
      }
      try {
        HttpResponse<String> resp =
            ServerInfo.post(target, "/tokenize", body.toString().getBytes(StandardCharsets.UTF_8));
        if (resp.statusCode() != 200) {
          problem = "HTTP " + resp.statusCode();
          return null;
        }
        JsonNode tokens = MAPPER.readTree(resp.body()).get("tokens");
        problem = "an answer without a tokens array";
        return tokens != null && tokens.isArray() ? tokens : null;
      } catch (JsonProcessingException e) {
        problem = "an answer that is not JSON";
        return null;
      }
    }
  }
}
