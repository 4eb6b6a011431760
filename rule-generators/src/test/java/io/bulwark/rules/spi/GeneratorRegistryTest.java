package io.bulwark.rules.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.nftables.NftablesGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorRegistryTest {

  @Test
  void load_serviceLoader_findsNftables() {
    GeneratorRegistry registry = GeneratorRegistry.load();

    assertInstanceOf(NftablesGenerator.class, registry.find("nftables").orElseThrow());
    assertTrue(registry.ids().contains("nftables"));
  }

  @Test
  void constructor_duplicateIds_failsFastNamingBothClasses() {
    DuplicateGeneratorException e =
        assertThrows(
            DuplicateGeneratorException.class,
            () ->
                new GeneratorRegistry(
                    List.of(new NftablesGenerator(), new FakeGenerator("nftables"))));

    assertEquals(
        "rule generator id 'nftables' is claimed by both "
            + NftablesGenerator.class.getName()
            + " and "
            + FakeGenerator.class.getName(),
        e.getMessage());
  }

  @Test
  void constructor_blankId_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new GeneratorRegistry(List.of(new FakeGenerator(" "))));
  }

  @Test
  void find_unknownId_isEmpty() {
    GeneratorRegistry registry = new GeneratorRegistry(List.of(new FakeGenerator("yara")));

    assertTrue(registry.find("nftables").isEmpty());
  }

  @Test
  void ids_severalGenerators_areSortedAndUnmodifiable() {
    GeneratorRegistry registry =
        new GeneratorRegistry(List.of(new FakeGenerator("yara"), new FakeGenerator("junos")));

    assertEquals(List.of("junos", "yara"), List.copyOf(registry.ids()));
    assertThrows(UnsupportedOperationException.class, () -> registry.ids().add("x"));
  }

  /** A generator that renders nothing, under any id. */
  private static final class FakeGenerator implements RuleGenerator {
    private final String id;

    FakeGenerator(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public GenerationResult generate(RuleInput input) {
      return new GenerationResult.Unsupported("fake");
    }
  }
}
