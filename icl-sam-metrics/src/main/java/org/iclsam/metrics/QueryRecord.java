package org.iclsam.metrics;

import java.util.Objects;

/**
 * The metrics of one query under one support draw of the evaluation protocol.
 *
 * @param task the task name
 * @param supportSize m, the number of support examples, {@code >= 0}
 * @param draw which random support draw, {@code >= 0}
 * @param query the query's name (for example its file name)
 * @param metrics the metrics of the query's prediction
 */
public record QueryRecord(String task, int supportSize, int draw, String query, PairMetrics metrics) {
    /**
     * @throws IllegalArgumentException if a name or the metrics are null, or a number is negative
     */
    public QueryRecord {
        if (task == null || query == null || metrics == null) {
            throw new IllegalArgumentException("task, query and metrics must not be null");
        }
        if (supportSize < 0 || draw < 0) {
            throw new IllegalArgumentException("supportSize and draw must be >= 0, got " + supportSize + " and "
                    + draw);
        }
        Objects.requireNonNull(metrics);
    }
}
