package dev.ingresskit.originca;

import java.time.Duration;

/** Time for retries: the real one in production, a fake in tests so backoff is checked without waiting. */
interface Pacer {
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    Pacer SYSTEM = new Pacer() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration);
        }
    };
}
