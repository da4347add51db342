package dev.llmbench.report.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.report.model.ServerMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a serving engine's log (a file the user saved, e.g. {@code docker logs vllm > vllm.log}) for
 * the memory figures of {@code bench_full.py}'s procedure, which greps the container's log for them:
 * the weights, the KV cache and the tokens it holds, from the lines of older and newer builds of
 * vLLM ({@link VllmLog}: V0 and V1), SGLang ({@link SglangLog}), llama.cpp's server
 * ({@link LlamaCppLog}: before and after its 2025 KV-cache log rename) and TensorRT-LLM
 * ({@link TensorRtLlmLog}: PyTorch backend and engines). Each class lists its lines and which of
 * them count; a log is one engine's, and for each figure the first engine in that order that gave
 * it is taken.
 *
 * <p>vLLM, SGLang and TensorRT-LLM compute their "GB" by dividing by 2^30, so those figures are GiB;
 * llama.cpp's MiB are divided by 1,024. The figures are those of the last server start in the log (a
 * start begins at vLLM's {@code vLLM API server version} line, SGLang's
 * {@code server_args=ServerArgs(...)} line or llama.cpp's {@code build: 6550 (5a4ff43e7) with ...}
 * line; a log without any is one start). Lines are read as UTF-8 with malformed bytes replaced: a log
 * is what a container wrote, colours and all.
 */
public final class ServerLog {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern START = Pattern.compile(
      "vLLM API server version|server_args=ServerArgs\\(|build: [0-9]+ \\([^)]*\\) with ");

  private ServerLog() {}

  /** The figures of one server start, as its lines are read: each engine's lines, one reader each. */
  private static final class Start {
    final List<EngineLog> engines =
        List.of(new VllmLog(), new SglangLog(), new LlamaCppLog(), new TensorRtLlmLog());

    void line(String line) {
      for (EngineLog e : engines) {
        e.line(line);
      }
    }

    <T> T first(Function<EngineLog, T> figure) {
      for (EngineLog e : engines) {
        T v = figure.apply(e);
        if (v != null) {
          return v;
        }
      }
      return null;
    }
  }

  /** The memory figures of the log at {@code file}; a figure the log does not give is null. */
  public static ServerMemory memory(Path file) throws IOException {
    Start start = new Start();
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (START.matcher(line).find()) {
          start = new Start(); // a new start: the figures of an earlier one no longer hold
        }
        start.line(line);
      }
    }
    return new ServerMemory(file.getFileName().toString(), start.first(EngineLog::modelGiB),
        start.first(EngineLog::kvCacheGiB), start.first(EngineLog::kvCacheTokens));
  }

  /**
   * The figures of the log at {@code file} as the run records them in {@code llm-run.json} when it
   * ends ({@code source}, {@code modelGiB}, {@code kvCacheGiB}, {@code kvCacheTokens}, and
   * {@code problem} when the log could not be read): read once, so a rebuild of the result later
   * gives the same figures, whatever became of the file.
   */
  public static ServerMemory record(Path file) {
    try {
      return memory(file);
    } catch (IOException | RuntimeException e) {
      return new ServerMemory(String.valueOf(file.getFileName()), null, null, null,
          "the server log " + file + " could not be read: " + e.getMessage());
    }
  }

  /** The figures {@link #record} wrote, read back as {@code llm-run.json} holds them ({@link RunDescriptionFile}). */
  public static ServerMemory recorded(JsonNode r) {
    try {
      return MAPPER.treeToValue(r, ServerMemory.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("serverMemory: " + e.getOriginalMessage(), e);
    }
  }
}
