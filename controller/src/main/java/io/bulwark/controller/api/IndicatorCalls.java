package io.bulwark.controller.api;

import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.UnknownIndicatorException;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.ingest.IndicatorViews;
import io.bulwark.controller.ingest.Tlp;
import io.bulwark.proto.admin.v1.AllowlistHit;
import io.bulwark.proto.admin.v1.Indicator;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.bulwark.proto.admin.v1.ListIndicatorsResponse;
import io.bulwark.proto.admin.v1.Rejection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin calls that ingest bundles and list indicators, behind the role checks of {@link
 * AdminGrpcService}. TLP:RED values are for the CSIRT only; other callers still see that the
 * indicator exists.
 */
final class IndicatorCalls {
  private static final Logger log = LoggerFactory.getLogger(IndicatorCalls.class);
  private static final String WITHHELD = io.bulwark.controller.report.IntelMarkings.WITHHELD;
  private final BundleIngestor ingestor;
  private final IndicatorViews views;
  private final AuditLog audit;

  IndicatorCalls(BundleIngestor ingestor, IndicatorViews views, AuditLog audit) {
    this.ingestor = ingestor;
    this.views = views;
    this.audit = audit;
  }

  IngestResponse ingest(IngestRequest request, Caller.User user) {
    return ingest(request.getBundleJson().newInput(), request.getSource(), user);
  }

  /** Ingests a bundle read from {@code bundle} (on the calling thread), logged and audited. */
  IngestResponse ingest(java.io.InputStream bundle, String source, Caller.User user) {
    BundleIngestor.Report report = ingestor.ingest(bundle, source);
    log.info("user {} ingested {}: {} stored, {} unchanged, {} rejected, {} allowlisted", user.name(),
        source, report.stored(), report.unchanged(), report.rejectedCount(), report.allowlisted().size());
    audit.append(user.name(), "bundle.ingest", source, report.stored() + " stored, " + report.unchanged()
        + " unchanged, " + report.otherObjects() + " other objects (" + report.otherStored() + " new), "
        + report.rejectedCount() + " rejected, "
        + report.allowlisted().size() + " allowlisted");
    var out = IngestResponse.newBuilder().setStored(report.stored()).setUnchanged(report.unchanged())
        .setOtherObjects(report.otherObjects()).setOtherStored(report.otherStored())
        .setRejectedTotal(report.rejectedCount());
    report.rejected().forEach(r -> out.addRejected(Rejection.newBuilder().setObjectId(r.objectId()).setReason(r.reason())));
    report.allowlisted().forEach(a -> out.addAllowlisted(
        AllowlistHit.newBuilder().setIndicatorId(a.indicatorId()).addAllCollisions(a.collisions())));
    return out.build();
  }

  /** Every indicator, newest version, as the caller may see it. */
  ListIndicatorsResponse list(Caller.User user) {
    var out = ListIndicatorsResponse.newBuilder();
    for (IndicatorViews.View v : views.list()) {
      out.addIndicators(toProto(v, user.role().mayReadTlpRed()));
    }
    return out.build();
  }

  /**
   * One indicator as the caller may see it.
   *
   * @throws UnknownIndicatorException when no indicator has that id
   */
  Indicator find(String id, Caller.User user) {
    return views.find(id).map(v -> toProto(v, user.role().mayReadTlpRed()))
        .orElseThrow(() -> new UnknownIndicatorException("no indicator " + id.replaceAll("[^\\x20-\\x7e]", "?")));
  }

  private static Indicator toProto(IndicatorViews.View v, boolean mayReadRed) {
    boolean withheld = v.tlp().withheld() && !mayReadRed;
    return Indicator.newBuilder()
        .setId(v.indicator().id())
        .setName(withheld ? WITHHELD : v.indicator().name())
        .setPattern(withheld ? WITHHELD : v.indicator().pattern())
        .setTlp(v.tlp().label())
        .setStatus(v.status())
        .setModified(v.indicator().modified().toString())
        .setValidUntil(v.indicator().validUntil() == null ? "" : v.indicator().validUntil().toString())
        .setDetail(withheld ? "" : v.detail())
        .addAllAllowlist(withheld ? (v.allowlist().isEmpty() ? List.of() : List.of(WITHHELD)) : v.allowlist())
        .build();
  }
}
