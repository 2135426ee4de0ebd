package io.testsync.client;

/**
 * One published message delivered to a {@link Subscription}.
 *
 * @param topic         the topic
 * @param seq           1, 2, 3… per run and topic, without gaps
 * @param payload       the payload as JSON text, exactly the bytes that were published
 * @param publishedAtMs server clock, unix ms, when it was published
 */
public record Message(String topic, long seq, String payload, long publishedAtMs) {
}
