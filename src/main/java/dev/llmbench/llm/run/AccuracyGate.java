package dev.llmbench.llm.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.accuracy.Answers;
import dev.llmbench.accuracy.Gsm8k;
import dev.llmbench.config.ConfigException;
import dev.llmbench.metrics.Wilson;
import dev.llmbench.report.model.Accuracy;
import dev.llmbench.stream.Backend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The accuracy gate (docs/accuracy.md): before the load, after the health check and the prompt sizing, the
 * first {@code questions} GSM8K test questions are asked with SGLang's few-shot prompt
 * ({@link Gsm8k#prompt}), not streamed, at temperature 0, stopping at {@code "Question"} as SGLang's script
 * does, with at most {@code concurrency} in flight on the JDK's client (these requests are not the measured
 * load, and are in none of its figures). A reply is right when its last number equals the reference's
 * ({@link Answers}); the accuracy comes with its 95 % Wilson interval ({@link Wilson}).
 */
public final class AccuracyGate {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** SGLang's script's stop strings: the model would go on to write the next question itself. */
  static final List<String> STOP = List.of("Question", "Assistant:", "<|separator|>");

  private AccuracyGate() {}

  /** What one question got. */
  private record Reply(boolean correct, boolean invalid, String error) {}

  /**
   * Asks the questions and scores them.
   *
   * @param timeout longest one request may take (the run's {@code request.timeout.sec})
   * @throws ConfigException when the backend has no plain generation request the gate can send
   */
  public static Outcome run(AccuracyConfig config, Target target, Backend backend, String model, Duration timeout) {
    if (!AccuracyConfig.GSM8K.equals(config.benchmark())) {
      throw new IllegalArgumentException("not a benchmark the gate knows: " + config.benchmark());
    }
    String fewShot = Gsm8k.fewShot(config.shots());
    List<Gsm8k.Item> items = Gsm8k.test().subList(0, config.questions());
    long start = System.nanoTime();
    List<Reply> replies = new ArrayList<>(items.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.concurrency(), items.size()), r -> {
      Thread t = new Thread(r, "llmbench-accuracy");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Reply>> futures = new ArrayList<>(items.size());
      for (Gsm8k.Item item : items) {
        byte[] body = body(backend, model, Gsm8k.prompt(fewShot, item), config.maxTokens());
        futures.add(pool.submit(() -> ask(target, backend, body, item, timeout)));
      }
      for (Future<Reply> f : futures) {
        replies.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while the accuracy gate asked its questions", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the accuracy gate failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int correct = (int) replies.stream().filter(Reply::correct).count();
    int invalid = (int) replies.stream().filter(Reply::invalid).count();
    int errors = (int) replies.stream().filter(r -> r.error() != null).count();
    int n = replies.size();
    Wilson.Interval ci = Wilson.interval95(correct, n);
    double accuracy = (double) correct / n;
    String firstError = replies.stream().map(Reply::error).filter(e -> e != null).findFirst().orElse(null);
    return new Outcome(new Accuracy(config.benchmark(), n, config.shots(), config.maxTokens(), config.concurrency(),
        correct, invalid, errors, accuracy, ci.low(), ci.high(), config.threshold(), accuracy >= config.threshold(),
        seconds), firstError);
  }

  /**
   * The gate's result, and why the first failed request failed (null when none did), for a NOTE line.
   */
  public record Outcome(Accuracy accuracy, String firstError) {}

  /** Asks one question; a request that fails counts as a wrong reply, with its reason. */
  private static Reply ask(Target target, Backend backend, byte[] body, Gsm8k.Item item, Duration timeout) {
    try {
      HttpResponse<String> resp = ServerInfo.post(target, path(backend), body, timeout);
      if (resp.statusCode() != 200) {
        return new Reply(false, false, "HTTP " + resp.statusCode());
      }
      String text = text(backend, MAPPER.readTree(resp.body()));
      if (text == null) {
        return new Reply(false, false, "no text in the answer");
      }
      if (Answers.lastNumber(text) == null) {
        return new Reply(false, true, null);
      }
      return new Reply(Answers.correct(text, item.reference()), false, null);
    } catch (IOException e) {
      return new Reply(false, false, ServerInfo.describe(e));
    }
  }

  /** The non-streamed generation path of each backend. */
  static String path(Backend backend) {
    return switch (backend) {
      case OPENAI, VLLM, OLLAMA -> "/v1/completions";
      case OPENAI_CHAT -> "/v1/chat/completions";
      case SGLANG -> "/generate";
      case TRT_LLM -> "/v2/models/" + Backend.TRITON_MODEL + "/generate";
    };
  }

  /**
   * The request body: the prompt, {@code max_tokens}, temperature 0 and the stop strings, in the backend's
   * shape (chat: the whole few-shot prompt as one user message).
   */
  static byte[] body(Backend backend, String model, String prompt, int maxTokens) {
    ObjectNode root = MAPPER.createObjectNode();
    switch (backend) {
      case OPENAI, VLLM, OLLAMA, OPENAI_CHAT -> {
        root.put("model", model);
        if (backend == Backend.OPENAI_CHAT) {
          root.putArray("messages").addObject().put("role", "user").put("content", prompt);
        } else {
          root.put("prompt", prompt);
        }
        root.put("max_tokens", maxTokens).put("temperature", 0).put("stream", false);
        STOP.forEach(root.putArray("stop")::add);
      }
      case SGLANG -> {
        root.put("text", prompt);
        ObjectNode sampling = root.putObject("sampling_params").put("max_new_tokens", maxTokens).put("temperature", 0);
        STOP.forEach(sampling.putArray("stop")::add);
      }
      case TRT_LLM -> {
        root.put("text_input", prompt).put("max_tokens", maxTokens).put("temperature", 0);
        STOP.forEach(root.putArray("stop_words")::add);
      }
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The generated text of a non-streamed answer, or null when it has none. */
  static String text(Backend backend, JsonNode answer) {
    JsonNode text = switch (backend) {
      case OPENAI, VLLM, OLLAMA -> answer.path("choices").path(0).path("text");
      case OPENAI_CHAT -> answer.path("choices").path(0).path("message").path("content");
      case SGLANG -> answer.path("text");
      case TRT_LLM -> answer.path("text_output");
    };
    return text.isTextual() ? text.asText() : null;
  }
}
