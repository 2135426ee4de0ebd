package io.testsync.server.store;

/**
 * A run's stored data: the exact bytes an agent wrote and the Content-Type they were written with.
 *
 * @param bytes       the payload, never null (an empty array is valid data)
 * @param contentType the media type to answer GET with, never null
 */
public record StoredData(byte[] bytes, String contentType) {
    public StoredData {
        if (bytes == null) throw new IllegalArgumentException("bytes must not be null");
        if (contentType == null) throw new IllegalArgumentException("contentType must not be null");
    }
}
