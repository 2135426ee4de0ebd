package io.testsync.server.runs;

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
        public void leave() {
            registry.detach(run, member);
        }
    }
}
