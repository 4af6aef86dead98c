package com.todo.taskapi;

import com.todo.domain.IdempotencyKeys;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes idempotency keys past their window while task-api runs. A key past its window already counts as unused
 * (it is taken over on its next use), so this only keeps the table small; batches keep each statement short.
 */
@Singleton
class IdempotencyKeyExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeyExpiry.class);
    static final int BATCH = 500;

    private final IdempotencyKeys keys;

    IdempotencyKeyExpiry(IdempotencyKeys keys) {
        this.keys = keys;
    }

    @Scheduled(fixedDelay = "${todo.idempotency.expire-interval:10m}", initialDelay = "${todo.idempotency.expire-interval:10m}")
    void expire() {
        int total = 0;
        int deleted;
        do {
            deleted = keys.deleteExpired(BATCH);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.info("deleted {} idempotency key(s) past their window", total);
        }
    }
}
