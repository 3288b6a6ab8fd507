package dev.agentchat.ports.store;

/**
 * One page of a listing.
 *
 * @param limit  how many records at most, 1 to {@value #MAX_LIMIT}
 * @param offset how many records to skip
 */
public record PageRequest(int limit, int offset) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, 0);
    }
}
