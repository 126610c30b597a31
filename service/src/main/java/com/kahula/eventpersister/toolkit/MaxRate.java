package com.kahula.eventpersister.toolkit;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A command's {@code --max-rate}: at most so many a second, or no limit when none is given. */
final class MaxRate {

    private final @Nullable RateLimiter limiter;

    private MaxRate(@Nullable RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** At most {@code perSecond} a second; unlimited when null. */
    static MaxRate of(String name, @Nullable Integer perSecond) {
        return new MaxRate(
                perSecond == null
                        ? null
                        : RateLimiter.of(
                                name,
                                RateLimiterConfig.custom()
                                        .limitForPeriod(perSecond)
                                        .limitRefreshPeriod(Duration.ofSeconds(1))
                                        // a permit comes within a second; never give up waiting for it
                                        .timeoutDuration(Duration.ofDays(1))
                                        .build()));
    }

    /** Waits until one more may go. */
    void acquire() {
        if (limiter != null) {
            limiter.acquirePermission();
        }
    }
}
