package com.todo.dapr;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.todo.function.JobScheduler;
import io.dapr.v1.CommonProtos;
import io.dapr.v1.DaprJobsProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Dapr Jobs through the sidecar's gRPC API ({@link DaprGrpcSidecar}; the SDK's {@code DaprClient.scheduleJob} of
 * SDK 1.17.1 also sent only the nanosecond part of a constant failure policy's interval (10 s becomes 0 s)). Every job
 * is scheduled with {@code overwrite: true} and the configured long failure policy (architecture D3), not Dapr's
 * default of 3 retries 1 s apart.
 */
@Singleton
@Requires(property = "todo.jobs.scheduler", value = "dapr", defaultValue = "dapr")
public class DaprJobScheduler implements JobScheduler {

    private final DaprGrpcSidecar sidecar;
    private final CommonProtos.JobFailurePolicy failurePolicy;

    public DaprJobScheduler(DaprGrpcSidecar sidecar,
                            @Value("${todo.jobs.retry-interval:10s}") Duration retryInterval,
                            @Value("${todo.jobs.max-retries:360}") int maxRetries) {
        this.sidecar = sidecar;
        this.failurePolicy = CommonProtos.JobFailurePolicy.newBuilder()
                .setConstant(CommonProtos.JobFailurePolicyConstant.newBuilder()
                        .setInterval(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(retryInterval.getSeconds()).setNanos(retryInterval.getNano()))
                        .setMaxRetries(maxRetries))
                .build();
    }

    @Override
    public void scheduleOnce(String name, Instant dueTime, byte[] data) {
        schedule(job(name, data).setDueTime(dueTime.truncatedTo(ChronoUnit.MILLIS).toString()));
    }

    @Override
    public void scheduleEvery(String name, String schedule, byte[] data) {
        schedule(job(name, data).setSchedule(schedule));
    }

    @Override
    public void delete(String name) {
        try {
            // deleting an absent job succeeds: daprd has no NOT_FOUND here (RealDaprdAdaptersTest)
            sidecar.call().deleteJobAlpha1(DaprJobsProtos.DeleteJobRequest.newBuilder().setName(name).build());
        } catch (StatusRuntimeException e) {
            throw unavailable("delete job " + name, e);
        }
    }

    private DaprJobsProtos.Job.Builder job(String name, byte[] data) {
        return DaprJobsProtos.Job.newBuilder()
                .setName(name)
                .setData(Any.newBuilder().setValue(ByteString.copyFrom(data)))
                .setFailurePolicy(failurePolicy);
    }

    private void schedule(DaprJobsProtos.Job.Builder job) {
        try {
            sidecar.call().scheduleJobAlpha1(DaprJobsProtos.ScheduleJobRequest.newBuilder()
                    .setJob(job).setOverwrite(true).build());
        } catch (StatusRuntimeException e) {
            if (rejected(e.getStatus())) {
                throw new JobScheduler.RejectedException("Dapr refused job " + job.getName() + ": " + e.getStatus(), e);
            }
            throw unavailable("schedule job " + job.getName(), e);
        }
    }

    /**
     * daprd answers a request without name or schedule with INVALID_ARGUMENT, but a schedule or due time its
     * scheduler cannot parse with INTERNAL "... job failed validation ..." (go-etcd-cron's error, passed on as is).
     */
    static boolean rejected(Status status) {
        return status.getCode() == Status.Code.INVALID_ARGUMENT
                || status.getCode() == Status.Code.INTERNAL && status.getDescription() != null
                && status.getDescription().contains("failed validation");
    }

    private static UnavailableException unavailable(String what, StatusRuntimeException e) {
        return new UnavailableException("Dapr could not " + what + ": " + e.getStatus(), e);
    }
}
