package dev.llmbench.emulator;

/**
 * How the emulator shapes its OpenAI-compatible streams, after the real servers it stands in for.
 * The native SGLang ({@code /generate}) and TRT-LLM ({@code /v2/models/{model}/generate_stream})
 * endpoints are always served, whatever the dialect.
 */
public enum Dialect {
  /**
   * vLLM and SGLang's OpenAI server: a role chunk first (chat), one chunk per delta, the last one
   * with {@code finish_reason}, and with {@code stream_options.include_usage} a separate usage chunk
   * whose {@code choices} is empty, then {@code [DONE]}.
   */
  VLLM,
  /**
   * SGLang: its OpenAI server streams as vLLM's does ({@link #VLLM}); its {@code /metrics} uses SGLang's
   * names ({@code sglang:num_running_reqs}, {@code sglang:num_queue_reqs}, {@code sglang:token_usage}, ...).
   */
  SGLANG,
  /**
   * llama.cpp's server: no role chunk, {@code stream_options} ignored, and {@code usage} (with
   * {@code timings}) always sent in the final chunk, the one carrying {@code finish_reason} and an
   * empty delta, then {@code [DONE]}. Its {@code /metrics} uses llama.cpp's names
   * ({@code llamacpp:requests_processing}, ...).
   */
  LLAMA_CPP;

  /** The shape of its OpenAI-compatible streams: SGLang's is vLLM's. */
  Dialect streamShape() {
    return this == SGLANG ? VLLM : this;
  }
}
