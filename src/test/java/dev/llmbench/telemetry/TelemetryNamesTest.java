package dev.llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engines' series mapped to one vocabulary, on hand-made pages in each engine's own names and shape. */
class TelemetryNamesTest {
  private static final TelemetryNames NAMES = TelemetryNames.standard();

  private static Map<String, Double> map(String page) {
    return NAMES.map(PrometheusText.parse(page));
  }

  @Test
  void vllm() {
    Map<String, Double> m = map("""
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="m"} 3.0
        vllm:num_requests_running{engine="1",model_name="m"} 2.0
        vllm:num_requests_waiting{engine="0",model_name="m"} 7.0
        vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.25
        vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.5
        vllm:prefix_cache_queries_total{engine="0",model_name="m"} 1000.0
        vllm:prefix_cache_hits_total{engine="0",model_name="m"} 400.0
        vllm:num_preemptions_total{engine="0",model_name="m"} 2.0
        vllm:prompt_tokens_total{engine="0",model_name="m"} 5000.0
        vllm:generation_tokens_total{engine="0",model_name="m"} 6000.0
        vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 4.0
        """);
    // Data-parallel engines: requests add up, KV-cache usage is the fullest engine's.
    assertEquals(Map.of("requests_running", 5.0, "requests_waiting", 7.0, "kv_cache_usage", 0.5,
        "prefix_cache_queries", 1000.0, "prefix_cache_hits", 400.0, "preemptions", 2.0, "prompt_tokens", 5000.0,
        "generation_tokens", 6000.0), m);
  }

  @Test
  void vllmLegacyKvName() {
    assertEquals(Map.of("kv_cache_usage", 0.75), map("vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.75\n"));
  }

  @Test
  void sglang() {
    Map<String, Double> m = map("""
        sglang:num_running_reqs{model_name="m"} 12.0
        sglang:num_queue_reqs{model_name="m"} 4.0
        sglang:token_usage{model_name="m"} 0.28
        sglang:cache_hit_rate{model_name="m"} 0.0075
        sglang:prompt_tokens_total{model_name="m"} 8.128902e+06
        sglang:generation_tokens_total{model_name="m"} 7.557572e+06
        """);
    assertEquals(Map.of("requests_running", 12.0, "requests_waiting", 4.0, "kv_cache_usage", 0.28,
        "prefix_cache_hit_rate", 0.0075, "prompt_tokens", 8128902.0, "generation_tokens", 7557572.0), m);
  }

  @Test
  void llamaCpp() {
    Map<String, Double> m = map("""
        # TYPE llamacpp:prompt_tokens_total counter
        llamacpp:prompt_tokens_total 33065
        llamacpp:tokens_predicted_total 7801
        llamacpp:kv_cache_usage_ratio 0.63
        llamacpp:requests_processing 2
        llamacpp:requests_deferred 1
        """);
    assertEquals(Map.of("requests_running", 2.0, "requests_waiting", 1.0, "kv_cache_usage", 0.63,
        "prompt_tokens", 33065.0, "generation_tokens", 7801.0), m);
  }

  @Test
  void tgi() {
    Map<String, Double> m = map("""
        tgi_queue_size 3
        tgi_batch_current_size 8
        tgi_request_input_length_sum 1200
        tgi_request_input_length_count 10
        tgi_request_generated_tokens_sum 900
        """);
    assertEquals(Map.of("requests_running", 8.0, "requests_waiting", 3.0, "prompt_tokens", 1200.0,
        "generation_tokens", 900.0), m);
  }

  @Test
  void tritonTensorRtLlm() {
    Map<String, Double> m = map("""
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="context",version="1"} 1
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="scheduled",version="1"} 5
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="max",version="1"} 64
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="active",version="1"} 6
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="waiting",version="1"} 9
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="used",model="tensorrt_llm",version="1"} 1
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="fraction",model="tensorrt_llm",version="1"} 0.125
        """);
    assertEquals(Map.of("requests_running", 6.0, "requests_waiting", 9.0, "kv_cache_usage", 0.125), m);
  }

  @Test
  void unknownSeriesAndNaNsGiveNothing() {
    assertEquals(Map.of(), map("my_engine_queue 4\nvllm:num_requests_running NaN\n"));
  }

  @Test
  void everyVocabularyEntryHasSelectorsAndAKnownShape() {
    assertTrue(NAMES.names().containsAll(List.of("requests_running", "requests_waiting", "kv_cache_usage",
        "prefix_cache_hits", "prefix_cache_queries", "preemptions", "prompt_tokens", "generation_tokens")),
        NAMES.names().toString());
    NAMES.series().forEach(s -> assertTrue(!s.selectors().isEmpty(), s.name()));
  }

  @Test
  void aMalformedSelectorIsRefusedNamingIt() throws Exception {
    var bad = new ObjectMapper().readTree("{\"x\":{\"kind\":\"gauge\",\"combine\":\"sum\",\"series\":[\"a{b=c}\"]}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TelemetryNames.parse(bad));
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("a{b=c}"), e.getMessage());
  }
}
