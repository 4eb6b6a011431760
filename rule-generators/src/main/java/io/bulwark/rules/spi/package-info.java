/**
 * The interface every rule generator implements ({@link io.bulwark.rules.spi.RuleGenerator}), its
 * input and result values, and {@link io.bulwark.rules.spi.GeneratorRegistry}, which finds
 * generators through {@link java.util.ServiceLoader}.
 */
package io.bulwark.rules.spi;
