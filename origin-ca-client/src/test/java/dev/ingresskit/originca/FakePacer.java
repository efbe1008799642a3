package dev.ingresskit.originca;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Records the client's retry waits and advances a fake nano clock instead of sleeping. */
final class FakePacer implements Pacer {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        nanos.addAndGet(duration.toNanos());
    }

    /** Lets time pass as if a request took {@code d}. */
    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
