package io.testsync.server.runs;

/**
 * One published message of a topic (SPEC §9.3).
 *
 * @param topic         the topic's name
 * @param seq           1, 2, 3… per run and topic
 * @param payload       the payload's exact JSON text as published
 * @param publishedAtMs server unix ms of the publish
 */
public record TopicMessage(String topic, long seq, String payload, long publishedAtMs) {}
