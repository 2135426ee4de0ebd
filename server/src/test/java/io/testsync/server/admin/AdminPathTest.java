package io.testsync.server.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The management API's paths taken apart: routes, percent-decoding, and what is malformed. */
class AdminPathTest {

    @Test
    void routes() {
        assertThat(AdminPath.parse("/api/v1/runs")).isEqualTo(new AdminPath(AdminPath.Kind.RUNS, null, null, null));
        assertThat(AdminPath.parse("/api/v1/events").kind()).isEqualTo(AdminPath.Kind.EVENTS);
        assertThat(AdminPath.parse("/api/v1/runs/r-1")).isEqualTo(new AdminPath(AdminPath.Kind.RUN, "r-1", null, null));
        assertThat(AdminPath.parse("/api/v1/runs/r-1/checkpoints/login/release"))
                .isEqualTo(new AdminPath(AdminPath.Kind.RELEASE, "r-1", "login", null));
        assertThat(AdminPath.parse("/api/v1/runs/r-1/agents/c17")).isEqualTo(new AdminPath(AdminPath.Kind.AGENT, "r-1", "c17", null));
        for (String other : new String[] {"/api", "/api/v1", "/api/v1/runs/", "/api/v1/runs/r/checkpoints/x", "/api/v1/runs/r/agents",
                "/api/v1/runs/r/agents/c1/more", "/api/v2/runs"}) {
            assertThat(AdminPath.parse(other).kind()).as(other).isIn(AdminPath.Kind.NONE, AdminPath.Kind.RUN);
        }
        assertThat(AdminPath.parse("/api/v1/runs/").problem()).startsWith("test ID is missing");
    }

    @Test
    void segmentsArePercentDecodedOneByOne() {
        assertThat(AdminPath.parse("/api/v1/runs/r/checkpoints/step%201%2F2/release").name()).isEqualTo("step 1/2");
        assertThat(AdminPath.parse("/api/v1/runs/r/checkpoints/a+b/release").name()).isEqualTo("a+b");
        assertThat(AdminPath.parse("/api/v1/runs/r/checkpoints/%C3%A9t%C3%A9/release").name()).isEqualTo("été");
    }

    @Test
    void malformedSegmentsAreNamed() {
        assertThat(AdminPath.parse("/api/v1/runs/r/checkpoints/%zz/release").problem())
                .isEqualTo("the checkpoint identifier is empty or not valid percent-encoded UTF-8; percent-encode it in the path");
        assertThat(AdminPath.parse("/api/v1/runs/r/checkpoints/%C3/release").problem()).isNotNull();
        assertThat(AdminPath.parse("/api/v1/runs/r/checkpoints//release").problem()).isNotNull();
        assertThat(AdminPath.parse("/api/v1/runs/r/agents/c%201").problem())
                .isEqualTo("'c 1' is not a connection id (1-128 characters from A-Z a-z 0-9 . _ - :); GET /api/v1/runs/r lists the run's connections");
        assertThat(AdminPath.parse("/api/v1/runs/a%20b").problem()).isEqualTo("test ID may contain only A-Z a-z 0-9 . _ - (1-128 characters)");
        assertThat(AdminPath.parse("/api/v1/runs/%").problem()).isEqualTo("the test ID is not valid percent-encoded UTF-8");
    }
}
