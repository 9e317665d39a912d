package io.routewatch.collector.mrt;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.CancelImportRequest;
import io.routewatch.proto.v1.GetImportRequest;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.ListArchiveFilesRequest;
import io.routewatch.proto.v1.ListArchiveFilesResponse;
import io.routewatch.proto.v1.ListImportsRequest;
import io.routewatch.proto.v1.ListImportsResponse;
import io.routewatch.proto.v1.ListJournalFilesRequest;
import io.routewatch.proto.v1.ListJournalFilesResponse;
import io.routewatch.proto.v1.StartImportRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** gRPC face of MRT imports: start a job, read its status, follow its progress, cancel it. */
@GrpcService
@Blocking
public class ImportGrpcService extends ImportServiceGrpc.ImportServiceImplBase {
  @Inject ImportJobs jobs;
  @Inject Instance<ArchiveRanges> ranges;
  @Inject Instance<JournalFiles> journal;

  @Override
  public void listJournalFiles(
      ListJournalFilesRequest req, StreamObserver<ListJournalFilesResponse> out) {
    try {
      out.onNext(journal.get().list());
      out.onCompleted();
    } catch (JournalFiles.Off e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
    } catch (java.io.IOException e) {
      out.onError(
          Status.INTERNAL
              .withDescription("cannot list the journal: " + e.getMessage())
              .asRuntimeException());
    }
  }

  @Override
  public void listArchiveFiles(
      ListArchiveFilesRequest req, StreamObserver<ListArchiveFilesResponse> out) {
    try {
      out.onNext(ranges.get().list(req));
      out.onCompleted();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (java.io.IOException e) {
      out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(Status.CANCELLED.asRuntimeException());
    }
  }

  @Override
  public void startImport(StartImportRequest req, StreamObserver<ImportJob> out) {
    try {
      if (req.getArchiveCollectorsCount() > 0) {
        if (!req.getPath().isEmpty() || !req.getCollector().isEmpty()) {
          throw new IllegalArgumentException(
              "an archive range import takes archive_collectors, not path or collector");
        }
        ImportJobRun job =
            ranges
                .get()
                .start(
                    req.getArchiveCollectorsList(),
                    req.getArchiveType().isEmpty() ? "updates" : req.getArchiveType(),
                    req.getArchiveFrom(),
                    req.getArchiveUntil(),
                    req.getSpeed());
        out.onNext(job.toProto());
        out.onCompleted();
        return;
      }
      out.onNext(jobs.start(req.getPath(), req.getSpeed(), req.getCollector()).toProto());
      out.onCompleted();
    } catch (ImportDirs.Refused e) {
      out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void cancelImport(CancelImportRequest req, StreamObserver<ImportJob> out) {
    try {
      ImportJobRun job = jobs.cancel(req.getId(), ImportResource.CANCEL_WAIT);
      if (job == null) {
        out.onError(
            Status.NOT_FOUND.withDescription("no import job " + req.getId()).asRuntimeException());
        return;
      }
      out.onNext(job.toProto());
      out.onCompleted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(Status.CANCELLED.asRuntimeException());
    }
  }

  @Override
  public void getImport(GetImportRequest req, StreamObserver<ImportJob> out) {
    ImportJobRun job = jobs.get(req.getId());
    if (job == null) {
      out.onError(
          Status.NOT_FOUND.withDescription("no import job " + req.getId()).asRuntimeException());
      return;
    }
    out.onNext(job.toProto());
    out.onCompleted();
  }

  @Override
  public void listImports(ListImportsRequest req, StreamObserver<ListImportsResponse> out) {
    ListImportsResponse.Builder b = ListImportsResponse.newBuilder();
    jobs.all().forEach(j -> b.addJobs(j.toProto()));
    out.onNext(b.build());
    out.onCompleted();
  }

  /** Streams the job's status every 200 ms until it ends or the client goes away. */
  @Override
  public void watchImport(GetImportRequest req, StreamObserver<ImportJob> out) {
    ImportJobRun job = jobs.get(req.getId());
    if (job == null) {
      out.onError(
          Status.NOT_FOUND.withDescription("no import job " + req.getId()).asRuntimeException());
      return;
    }
    ServerCallStreamObserver<ImportJob> call = (ServerCallStreamObserver<ImportJob>) out;
    try {
      while (!call.isCancelled()) {
        ImportJob p = job.toProto();
        out.onNext(p);
        if (p.getState() == ImportState.DONE
            || p.getState() == ImportState.FAILED
            || p.getState() == ImportState.CANCELLED) {
          break;
        }
        job.awaitChange(200);
      }
      out.onCompleted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(Status.CANCELLED.asRuntimeException());
    }
  }
}
