package dev.llmbench;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.llmbench.report.PostRun;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure the code must keep (ArchUnit, https://www.archunit.org/userguide/html/000_Index.html):
 * no package cycles, a report that depends neither on the stream internals nor on the Gatling side, the
 * report's layers one way, and product code that never reaches into the test tree.
 */
class ArchitectureTest {
  private static final String FIXTURE = "dev.llmbench.archfixture";

  /** Every package of ours a slice, and no cycle among them. */
  static final ArchRule NO_CYCLES = slices().matching("dev.llmbench.(**)").should().beFreeOfCycles();

  /**
   * The report's layers, each using only those below it: the model's records at the bottom (the readers
   * produce them, STYLE.md §10), then readers, statistics, baseline, renderers, and PostRun on top. The
   * framework comparison ({@code report.compare}) sits beside PostRun: it reads finished result folders, uses
   * the baseline's apples-to-apples rule and the renderers' memory format, and only the command line uses it.
   */
  static final ArchRule REPORT_LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("model").definedBy("dev.llmbench.report.model..")
      .layer("input").definedBy("dev.llmbench.report.input..")
      .layer("stats").definedBy("dev.llmbench.report.stats..")
      .layer("baseline").definedBy("dev.llmbench.report.baseline..")
      .layer("render").definedBy("dev.llmbench.report.render..")
      .layer("compare").definedBy("dev.llmbench.report.compare..")
      .layer("orchestrator").definedBy("dev.llmbench.report")
      .whereLayer("orchestrator").mayNotBeAccessedByAnyLayer()
      .whereLayer("compare").mayNotBeAccessedByAnyLayer()
      .whereLayer("render").mayOnlyBeAccessedByLayers("orchestrator", "compare")
      .whereLayer("baseline").mayOnlyBeAccessedByLayers("render", "compare", "orchestrator")
      .whereLayer("stats").mayOnlyBeAccessedByLayers("baseline", "render", "compare", "orchestrator")
      .whereLayer("input").mayOnlyBeAccessedByLayers("stats", "baseline", "render", "compare", "orchestrator")
      .whereLayer("model").mayOnlyBeAccessedByLayers("input", "stats", "baseline", "render", "compare", "orchestrator");

  /** The report reads files; it never needs the code that measured them or Gatling's side of the run. */
  static final ArchRule REPORT_INDEPENDENT = noClasses().that().resideInAPackage("dev.llmbench.report..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.llmbench.stream..", "dev.llmbench.llm..");

  private static JavaClasses main;
  private static Set<String> testClasses;

  @BeforeAll
  static void importClasses() throws URISyntaxException {
    // By folder, not by package: main and test share package names, and the fixture lives in the test tree.
    main = new ClassFileImporter().importPath(classFolder(PostRun.class));
    testClasses = new ClassFileImporter().importPath(classFolder(ArchitectureTest.class)).stream()
        .map(JavaClass::getName).collect(Collectors.toSet());
  }

  private static Path classFolder(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void noPackageCycles() {
    NO_CYCLES.check(main);
  }

  @Test
  void reportDependsOnNeitherStreamNorGatlingSide() {
    REPORT_INDEPENDENT.check(main);
  }

  @Test
  void reportLayersDependOneWay() {
    REPORT_LAYERS.check(main);
  }

  @Test
  void productCodeNeverUsesSimulationsOrTests() {
    DescribedPredicate<JavaClass> testTree = DescribedPredicate.describe("simulations or test classes",
        c -> c.getPackageName().startsWith("simulations") || testClasses.contains(c.getName()));
    noClasses().should().dependOnClassesThat(testTree).check(main);
  }

  @Test
  void cycleRuleCatchesAPlantedCycle() {
    assertTrue(main.stream().noneMatch(c -> c.getPackageName().startsWith(FIXTURE)), "the fixture is not product code");
    EvaluationResult planted = NO_CYCLES.evaluate(new ClassFileImporter().importPackages(FIXTURE));
    assertTrue(planted.hasViolation(), "the cycle archfixture.a -> archfixture.b -> archfixture.a was not reported");
  }
}
