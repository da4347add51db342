package dev.llmbench.emulator;

/** The generation and pooling APIs the emulator serves. */
enum Api {
  /** OpenAI {@code POST /v1/chat/completions}. */
  CHAT,
  /** OpenAI {@code POST /v1/completions}. */
  COMPLETIONS,
  /** SGLang native {@code POST /generate}: cumulative text with {@code meta_info}. */
  SGLANG_GENERATE,
  /** TRT-LLM / Triton {@code POST /v2/models/{model}/generate(_stream)}: {@code text_output} deltas. */
  TRT_GENERATE,
  /** SGLang {@code POST /v1/score} ({@code query}, {@code items}, {@code label_token_ids}): prefill only. */
  SCORE,
  /** vLLM {@code POST /v1/score} ({@code text_1}, {@code text_2}): one score per pair, prefill only. */
  VLLM_SCORE,
  /** vLLM / Jina / Cohere {@code POST /v1/rerank}: documents sorted by relevance, prefill only. */
  RERANK,
  /** OpenAI {@code POST /v1/embeddings}: one vector per input, prefill only. */
  EMBEDDINGS;

  /** Whether the API puts its input through the model once and generates nothing (a pooling request). */
  boolean pooling() {
    return this == SCORE || this == VLLM_SCORE || this == RERANK || this == EMBEDDINGS;
  }

  /** Whether the API generates text (a sampled answer, streamed or not). */
  boolean generates() {
    return !pooling();
  }
}
