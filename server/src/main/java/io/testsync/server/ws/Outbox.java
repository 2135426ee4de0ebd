package io.testsync.server.ws;

/**
 * The bytes one connection has handed to its socket that are not yet written to the network
 * (SPEC §7: a client that stops reading must not make the server buffer without bound).
 *
 * <p>Counted here, in bytes, because Vert.x 5 does not: its {@code writeQueueFull()} turns true only
 * once 16 <em>messages</em> wait behind a socket that is already past {@code setWriteQueueMaxSize}
 * bytes, so with 10 MiB replies it would let ~180 MiB pile up per connection. And while Vert.x reads
 * a batch of frames it does not flush, so replies to pipelined commands queue up even for a client
 * that reads fast.
 *
 * <p>Two marks: commands wait while more than {@link #resumeBelow} bytes are queued (a client that
 * pipelines is slowed to the pace it reads at, never closed for its own replies: the largest reply
 * still fits under the maximum), and a frame that would take the queue past {@link #max} means the
 * client stopped reading. Used on its connection's event loop only.
 */
final class Outbox {
    private final long max;
    private final long resumeBelow;
    private long queued;

    /**
     * @param maxQueuedBytes  limits.max_queued_bytes
     * @param largestFrame    the largest frame a command can answer with (a read_data of max_data_bytes,
     *                        an error echoing a frame at the message limit)
     */
    Outbox(long maxQueuedBytes, long largestFrame) {
        this.max = maxQueuedBytes;
        this.resumeBelow = Math.max(0, maxQueuedBytes - largestFrame);
    }

    /** Counts a frame about to be written; false (nothing counted) when it would take the queue past the maximum. A lone frame always fits. */
    boolean admit(long bytes) {
        if (queued > 0 && queued + bytes > max) return false;
        queued += bytes;
        return true;
    }

    /** A counted frame was written to the network (or dropped with its connection). */
    void written(long bytes) {
        queued -= bytes;
    }

    /** True while the next command must wait for the client to read what it was sent. */
    boolean backlogged() {
        return queued > resumeBelow;
    }

    long queued() {
        return queued;
    }

    long max() {
        return max;
    }

    /** Bytes of {@code s} in UTF-8, without encoding it (the socket encodes it once, when writing). */
    static int utf8Length(String s) {
        int bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair of chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
