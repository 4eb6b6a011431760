package io.bulwark.rules.stix;

import java.util.Objects;
import java.util.Optional;

/** The outcome of reading one element of a bundle's {@code objects}. */
public sealed interface StixObjectResult {

  /** Returns the zero-based position of the element in {@code objects}. */
  int index();

  /**
   * The element is a valid STIX 2.1 or 2.0 object.
   *
   * @param index the element's position in {@code objects}
   * @param object its common properties and JSON, never null
   * @param indicator the parsed indicator when the object is of type {@code indicator}, else empty;
   *     never null
   */
  record Accepted(int index, StixObject object, Optional<Indicator> indicator)
      implements StixObjectResult {
    public Accepted {
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(indicator, "indicator");
    }
  }

  /**
   * The element was refused; the rest of the bundle is still read.
   *
   * @param index the element's position in {@code objects}
   * @param objectId the element's id when it has a well-formed one, else null
   * @param reason what is wrong, naming the property; quoted values are shortened, never null
   */
  record Rejected(int index, String objectId, String reason) implements StixObjectResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
