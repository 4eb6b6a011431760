/**
 * The interface every rule generator implements ({@link io.bulwark.rules.spi.RuleGenerator}), its
 * input and result values (rule sets as named files), {@link io.bulwark.rules.spi.DeltaGenerator}
 * for targets that render changes between generations, {@link io.bulwark.rules.spi.Coverage} (how
 * far a target enforces an indicator), and {@link io.bulwark.rules.spi.GeneratorRegistry}, which
 * finds generators through {@link java.util.ServiceLoader}.
 */
package io.bulwark.rules.spi;
