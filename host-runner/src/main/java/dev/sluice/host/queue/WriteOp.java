package dev.sluice.host.queue;

import java.sql.Connection;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of work for the {@link GroupCommitWriter}: applied inside a shared transaction; a
 * failing op is undone alone and the others still commit (the group is applied again with a
 * savepoint per op when an op fails part-way).
 */
abstract class WriteOp {

    final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * Writes through {@code c}; records depth changes in {@code tx} only once everything succeeded.
     *
     * @throws Exception a {@link dev.sluice.host.pipeline.QueueFullException}, which must come
     *     before any write, or an SQL error: this op is undone and failed with it
     */
    abstract void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception;

    /** True when the caller gave up waiting before the writer got to it: skip it. */
    boolean abandoned() {
        return done.isCancelled();
    }
}
