package dev.llmbench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  /** Shaped like vLLM's page: HELP/TYPE lines, colons in names, a histogram, several series. */
  private static final String VLLM = """
      # HELP process_resident_memory_bytes Resident memory size in bytes.
      # TYPE process_resident_memory_bytes gauge
      process_resident_memory_bytes 2.147483648e+09
      # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
      # TYPE vllm:kv_cache_usage_perc gauge
      vllm:kv_cache_usage_perc{engine="0",model_name="Qwen/Qwen3-0.6B"} 0.25
      vllm:kv_cache_usage_perc{engine="1",model_name="Qwen/Qwen3-0.6B"} 0.5
      # TYPE vllm:e2e_request_latency_seconds histogram
      vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="m"} 12.0
      vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 40.0
      vllm:e2e_request_latency_seconds_sum{model_name="m"} 31.5
      """;

  @Test
  void readsSamplesWithLabels() {
    PrometheusText p = PrometheusText.parse(VLLM);
    assertEquals(0, p.malformedLines());
    assertEquals(6, p.samples().size());
    PrometheusText.Sample kv = p.samples().get(1);
    assertEquals("vllm:kv_cache_usage_perc", kv.name());
    assertEquals(Map.of("engine", "0", "model_name", "Qwen/Qwen3-0.6B"), kv.labels());
    assertEquals(0.25, kv.value());
    assertNull(kv.timestampMillis());
    assertEquals("+Inf", p.samples().get(4).labels().get("le"));
    assertEquals(2147483648.0, p.value("process_resident_memory_bytes").getAsDouble());
  }

  @Test
  void valueIsTheMaxOverSeriesOfTheFirstAliasPresent() {
    PrometheusText p = PrometheusText.parse(VLLM + "sglang:token_usage 0.9\n");
    assertEquals(OptionalDouble.of(0.5),
        p.value("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc", "sglang:token_usage"));
    assertEquals(Optional.of("vllm:kv_cache_usage_perc"),
        p.firstPresent("vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc", "sglang:token_usage"));
    assertEquals(OptionalDouble.of(0.9), p.value("vllm:gpu_cache_usage_perc", "sglang:token_usage"));
    assertEquals(OptionalDouble.empty(), p.value("llamacpp:kv_cache_usage_ratio"));
  }

  @Test
  void escapedLabelValuesSpecialValuesAndTimestamps() {
    PrometheusText p = PrometheusText.parse("""
        msg{text="say \\"hi\\"\\\\ now\\nplease",path="C:\\\\x"} 1 1712345678901
        a_nan NaN
        b_inf{} +Inf
        c_minf -Inf
        d 1e-3
        e{x="1",} 7
          f   2   \t
        """);
    assertEquals(0, p.malformedLines());
    List<PrometheusText.Sample> s = p.samples();
    assertEquals("say \"hi\"\\ now\nplease", s.get(0).labels().get("text"));
    assertEquals("C:\\x", s.get(0).labels().get("path"));
    assertEquals(1712345678901L, s.get(0).timestampMillis());
    assertTrue(Double.isNaN(s.get(1).value()));
    assertEquals(Double.POSITIVE_INFINITY, s.get(2).value());
    assertEquals(Double.NEGATIVE_INFINITY, s.get(3).value());
    assertEquals(0.001, s.get(4).value());
    assertEquals(Map.of("x", "1"), s.get(5).labels());
    assertEquals(2, s.get(6).value());
    assertEquals(OptionalDouble.empty(), p.value("a_nan"), "a NaN-only metric counts as absent");
  }

  @Test
  void malformedLinesAreSkippedAndCounted() {
    PrometheusText p = PrometheusText.parse("""
        good 1
        no_value
        bad_value abc
        unclosed{a="1 2
        bad_label{a=1} 3
        {a="1"} 4
        word 1 2 3
        hex 0x10
        java_inf Infinity
        also_good{a="b"} 5
        # EOF
        """);
    assertEquals(8, p.malformedLines());
    assertEquals(List.of("good", "also_good"), p.samples().stream().map(PrometheusText.Sample::name).toList());
  }

  @Test
  void emptyOrNullPage() {
    assertEquals(0, PrometheusText.parse(null).samples().size());
    assertEquals(0, PrometheusText.parse("").samples().size());
    assertEquals(OptionalDouble.empty(), PrometheusText.parse("\r\n# HELP x y\r\n").value("x"));
  }
}
