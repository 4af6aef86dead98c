package com.todo.dapr;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.todo.function.JobScheduler;
import io.dapr.v1.CommonProtos;
import io.dapr.v1.DaprGrpc;
import io.dapr.v1.DaprJobsProtos;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Dapr Jobs through the sidecar's gRPC API, with the SDK's generated stubs but not its {@code DaprClient.scheduleJob}:
 * SDK 1.17.1 sends only the nanosecond part of a constant failure policy's interval (10 s becomes 0 s). Every job
 * is scheduled with {@code overwrite: true} and the configured long failure policy (architecture D3), not Dapr's
 * default of 3 retries 1 s apart.
 */
@Singleton
@Requires(property = "todo.jobs.scheduler", value = "dapr", defaultValue = "dapr")
public class DaprJobScheduler implements JobScheduler {

    private static final Metadata.Key<String> API_TOKEN = Metadata.Key.of("dapr-api-token", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final DaprGrpc.DaprBlockingStub stub;
    private final Duration timeout;
    private final CommonProtos.JobFailurePolicy failurePolicy;

    public DaprJobScheduler(@Nullable @Value("${todo.dapr.grpc-port}") Integer grpcPort,
                            @Value("${todo.dapr.timeout:5s}") Duration timeout,
                            @Value("${todo.jobs.retry-interval:10s}") Duration retryInterval,
                            @Value("${todo.jobs.max-retries:360}") int maxRetries) {
        int port = grpcPort != null ? grpcPort : Integer.parseInt(env("DAPR_GRPC_PORT", "50001"));
        this.channel = ManagedChannelBuilder.forAddress(env("DAPR_SIDECAR_IP", "127.0.0.1"), port).usePlaintext().build();
        DaprGrpc.DaprBlockingStub base = DaprGrpc.newBlockingStub(channel);
        String token = env("DAPR_API_TOKEN", "");
        if (!token.isEmpty()) {
            Metadata headers = new Metadata();
            headers.put(API_TOKEN, token);
            base = base.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        this.stub = base;
        this.timeout = timeout;
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
            call().deleteJobAlpha1(DaprJobsProtos.DeleteJobRequest.newBuilder().setName(name).build());
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
            call().scheduleJobAlpha1(DaprJobsProtos.ScheduleJobRequest.newBuilder()
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

    private DaprGrpc.DaprBlockingStub call() {
        return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static UnavailableException unavailable(String what, StatusRuntimeException e) {
        return new UnavailableException("Dapr could not " + what + ": " + e.getStatus(), e);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @PreDestroy
    void close() throws InterruptedException {
        channel.shutdown();
        channel.awaitTermination(2, TimeUnit.SECONDS);
    }
}
