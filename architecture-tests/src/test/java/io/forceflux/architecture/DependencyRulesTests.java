package io.forceflux.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of src/docs/architecture.md, checked on the compiled main classes of core, reactor-adapter,
 * testkit and the Spring Boot auto-configuration.
 */
class DependencyRulesTests {
  @Test
  void importsEveryLibraryModule() {
    // A rule over no classes passes: make sure the classpath really holds what the rules are about.
    assertThat(ForceFluxClasses.MAIN.containPackage("io.forceflux.core.auth")).isTrue();
    assertThat(ForceFluxClasses.MAIN.containPackage("io.forceflux.reactor")).isTrue();
    assertThat(ForceFluxClasses.MAIN.containPackage("io.forceflux.testkit")).isTrue();
    assertThat(ForceFluxClasses.MAIN.containPackage("io.forceflux.boot.autoconfigure")).isTrue();
  }

  @Test
  void hasNoPackageCycle() {
    // Every package is a slice of its own, within a module and across modules.
    ArchRule rule = slices().matching("io.forceflux.(**)").namingSlices("$1").should().beFreeOfCycles();

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void keepsCoreFreeOfReactorNettySpringAndLettuce() {
    ArchRule rule = noClasses().that().resideInAPackage("io.forceflux.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "reactor..", "io.netty..", "org.springframework..", "io.lettuce..", "io.micrometer..")
        .because("core is plain Java: the grants, tokens and errors any HTTP stack can use");

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void keepsCoreFreeOfTheOtherModules() {
    ArchRule rule = noClasses().that().resideInAPackage("io.forceflux.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.forceflux.reactor..", "io.forceflux.testkit..", "io.forceflux.boot..", "io.forceflux.cli..");

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void keepsTheTestkitIndependentOfTheClient() {
    ArchRule rule = noClasses().that().resideInAPackage("io.forceflux.testkit..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.forceflux.core..", "io.forceflux.reactor..", "io.forceflux.boot..", "io.forceflux.cli..")
        .because("the fake org must not share code with the client it tests, or a shared bug hides on both sides");

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void keepsTheReactorAdapterFreeOfSpringBootAndTheTestkit() {
    ArchRule rule = noClasses().that().resideInAPackage("io.forceflux.reactor..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.forceflux.boot..", "io.forceflux.cli..", "org.springframework.boot..");

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void usesTheTestkitOnlyInTheTestingPackage() {
    // testkit is an optional dependency of reactor-adapter for FakeOrgClients alone: the client itself never needs it.
    ArchRule rule = noClasses().that().resideInAPackage("io.forceflux.reactor..")
        .and().resideOutsideOfPackage("io.forceflux.reactor.testing..")
        .should().dependOnClassesThat().resideInAPackage("io.forceflux.testkit..");

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void usesInternalPackagesOnlyFromForceFluxLibraryModules() {
    // The internal packages are public for ForceFlux's own modules only; the testkit depends on nothing of ours.
    ArchRule rule = noClasses().that().resideOutsideOfPackages(
            "io.forceflux.core..", "io.forceflux.reactor..", "io.forceflux.boot..", "io.forceflux.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.forceflux..internal..");

    rule.check(ForceFluxClasses.MAIN);
  }

  @Test
  void exposesNoInternalTypeInAPublicSignature() {
    // A public method of an API type that takes or returns an internal type would make that type API after all.
    ArchRule rule = classes().that().resideOutsideOfPackage("io.forceflux..internal..").and().arePublic()
        .should(ApiSignatures.notExposeInternalTypes());

    rule.check(ForceFluxClasses.MAIN);
  }
}
