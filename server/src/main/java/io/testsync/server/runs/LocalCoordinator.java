package io.testsync.server.runs;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Coordinator} for one node: the runs live in this process, in a {@link RunRegistry}. */
public final class LocalCoordinator implements Coordinator {
    private final RunRegistry registry;

    public LocalCoordinator(RunRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public CompletionStage<Admission> admit(String testId, Member member) {
        Attach attach = registry.attach(testId, member);
        Admission admission = attach instanceof Attach.Attached attached
                ? new Admission.Admitted(new Local(attached.run(), member))
                : new Admission.Refused(((Attach.Refused) attach).limit(), ((Attach.Refused) attach).value());
        return CompletableFuture.completedFuture(admission);
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** A membership in a run of this process: every outcome is decided before the call returns. */
    private final class Local implements Membership {
        private final Run run;
        private final Member member;

        Local(Run run, Member member) {
            this.run = run;
            this.member = member;
        }

        @Override
        public String testId() {
            return run.testId();
        }

        @Override
        public CompletionStage<Integer> connectionCount() {
            return CompletableFuture.completedFuture(run.connectionCount());
        }

        @Override
        public CompletionStage<JoinOutcome> join(CheckpointJoin join, String replyId) {
            return CompletableFuture.completedFuture(run.join(member, join, replyId));
        }

        @Override
        public CompletionStage<Outcome<Long>> signalEntry(String state) {
            return done(run.signalEntry(member, state));
        }

        @Override
        public CompletionStage<Outcome<Long>> counter(String name, long add) {
            return done(run.counter(member, name, add));
        }

        @Override
        public CompletionStage<Outcome<Long>> publish(String topic, String payload) {
            return done(run.publish(member, topic, payload));
        }

        @Override
        public CompletionStage<Outcome<List<TopicMessage>>> subscribe(String topic, long fromSeq, String replyId) {
            return done(run.subscribe(member, topic, fromSeq, replyId));
        }

        @Override
        public CompletionStage<Boolean> unsubscribe(String topic) {
            return done(run.unsubscribe(member, topic));
        }

        @Override
        public CompletionStage<Outcome<Long>> lock(String name, Long timeoutMs, String replyId) {
            return done(run.lock(member, name, timeoutMs, replyId));
        }

        @Override
        public CompletionStage<Boolean> unlock(String name) {
            return done(run.unlock(member, name));
        }

        @Override
        public void leave() {
            registry.detach(run, member);
        }
    }
}
