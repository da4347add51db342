package dev.llmbench.report.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.report.model.MonitorFigures;
import dev.llmbench.report.model.RunDescription;
import dev.llmbench.report.model.ValidityThresholds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads and writes {@code llm-run.json}, the run description ({@link RunDescription}: its Javadoc lists
 * every field), and the copy of it that {@code metadata.json} keeps under {@code run}. Fields this code
 * does not know are ignored; a file of another {@code schemaVersion} is refused.
 */
public final class RunDescriptionFile {
  /** Name of the run description file in the run folder. */
  public static final String FILE_NAME = "llm-run.json";

  /** The field of a result's {@code metadata.json} that keeps the run's description. */
  public static final String IN_METADATA = "run";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RunDescriptionFile() {}

  /**
   * The description in {@code file}.
   *
   * @throws IOException when it cannot be read or parsed, or has another schemaVersion (the message names both)
   */
  public static RunDescription read(Path file) throws IOException {
    RunDescription d;
    try {
      d = MAPPER.readValue(file.toFile(), RunDescription.class);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": " + e.getOriginalMessage(), e);
    }
    if (d.schemaVersion() != null && d.schemaVersion() != RunDescription.SCHEMA_VERSION) {
      throw new IOException(file.getFileName() + " has schemaVersion " + d.schemaVersion() + "; this tool reads "
          + RunDescription.SCHEMA_VERSION);
    }
    return d;
  }

  /**
   * A description held as JSON (such as {@code metadata.json}'s {@code run}); anything but an object
   * (a missing one) is a description with nothing recorded.
   *
   * @throws IllegalArgumentException when a field has the wrong type
   */
  public static RunDescription of(JsonNode json) {
    try {
      return MAPPER.treeToValue(json != null && json.isObject() ? json : MAPPER.createObjectNode(),
          RunDescription.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a run description: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The run's description that a result's {@code metadata.json} keeps under {@value #IN_METADATA};
   * one with nothing recorded when it keeps none.
   */
  public static RunDescription inMetadata(JsonNode metadata) {
    return of(metadata == null ? null : metadata.get(IN_METADATA));
  }

  /** The description as JSON, as the file holds it. */
  public static ObjectNode json(RunDescription d) {
    return MAPPER.valueToTree(d);
  }

  /** Writes the description to {@code file}, pretty-printed. */
  public static void write(RunDescription d, Path file) throws IOException {
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), d);
  }

  /** The self-monitor's figures as the description records them ({@link ValidityJson#monitor(MonitorFigures)}). */
  public static JsonNode monitor(MonitorFigures figures) {
    return asRead(ValidityJson.monitor(figures));
  }

  /** The validity policy as the description records it ({@link ValidityJson#thresholds(ValidityThresholds)}). */
  public static RunDescription.ValidityPolicy policy(boolean strict, ValidityThresholds thresholds) {
    return new RunDescription.ValidityPolicy(strict, asRead(ValidityJson.thresholds(thresholds)));
  }

  /**
   * A value as the file gives it back: through its text, since a tree made from Java values keeps their
   * types (a long 5) where a read one has the JSON's (an int 5), and the two would not compare equal.
   */
  private static JsonNode asRead(Object value) {
    try {
      return MAPPER.readTree(MAPPER.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
