package io.bulwark.rules.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rule generators available to a process, by id.
 *
 * <p>Built once at start-up and immutable after, so it is safe to share between threads. Two
 * generators with one id are a packaging error and fail construction at once with {@link
 * DuplicateGeneratorException} instead of letting class-path order pick one.
 */
public final class GeneratorRegistry {

  private final SortedMap<String, RuleGenerator> generators = new TreeMap<>();

  /**
   * Registers exactly the given generators, as tests and embedders do.
   *
   * @param generators the generators, never null and without nulls
   * @throws DuplicateGeneratorException when two share an id
   * @throws IllegalArgumentException when an id is null or blank
   */
  public GeneratorRegistry(Collection<? extends RuleGenerator> generators) {
    for (RuleGenerator generator : generators) {
      Objects.requireNonNull(generator, "generator");
      String id = generator.id();
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException(generator.getClass().getName() + " has a blank id");
      }
      RuleGenerator previous = this.generators.putIfAbsent(id, generator);
      if (previous != null) {
        throw new DuplicateGeneratorException(id, previous.getClass(), generator.getClass());
      }
    }
  }

  /**
   * Registers every generator {@link ServiceLoader} finds through {@code classLoader}.
   *
   * @param classLoader where to look for {@code META-INF/services} entries
   * @return the registry
   * @throws DuplicateGeneratorException when two share an id
   * @throws java.util.ServiceConfigurationError when a listed generator cannot be instantiated
   */
  public static GeneratorRegistry load(ClassLoader classLoader) {
    ServiceLoader<RuleGenerator> loader = ServiceLoader.load(RuleGenerator.class, classLoader);
    List<RuleGenerator> found = loader.stream().map(ServiceLoader.Provider::get).toList();
    return new GeneratorRegistry(found);
  }

  /** Registers every generator on the class path of this module's class loader. */
  public static GeneratorRegistry load() {
    return load(GeneratorRegistry.class.getClassLoader());
  }

  /**
   * Finds a generator by id.
   *
   * @param id the generator id, such as {@code nftables}
   * @return the generator, or empty when none has that id
   */
  public Optional<RuleGenerator> find(String id) {
    return Optional.ofNullable(generators.get(id));
  }

  /** Returns the registered ids in alphabetical order, as an unmodifiable set. */
  public SortedSet<String> ids() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(generators.keySet()));
  }
}
