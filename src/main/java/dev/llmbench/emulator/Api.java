package dev.llmbench.emulator;

/** The generation APIs the emulator serves. */
enum Api {
  /** OpenAI {@code POST /v1/chat/completions}. */
  CHAT,
  /** OpenAI {@code POST /v1/completions}. */
  COMPLETIONS,
  /** SGLang native {@code POST /generate}: cumulative text with {@code meta_info}. */
  SGLANG_GENERATE,
  /** TRT-LLM / Triton {@code POST /v2/models/{model}/generate(_stream)}: {@code text_output} deltas. */
  TRT_GENERATE,
  /** SGLang {@code POST /v1/score}: prefill only, no output tokens. */
  SCORE
}
