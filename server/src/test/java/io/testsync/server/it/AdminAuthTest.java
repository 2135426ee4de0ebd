package io.testsync.server.it;

import io.testsync.server.config.Config;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §10 auth: admin credentials when configured (and only there), else the agents' rule, protected mode included. */
class AdminAuthTest {
    static final String ADMIN = Harness.basic("operator", "0pen-sesame");
    static final String AGENT = Harness.basic(Harness.USER, Harness.PASS);

    static HttpResponse<String> get(Harness h, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(h.http(path)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        return h.sendText(b.build());
    }

    @Test
    void withAdminCredentialsOnlyTheyOpenTheApiAndThePage() throws Exception {
        try (Harness h = Harness.start(Harness.config().withAdmin(new Config.Credentials("operator", "0pen-sesame")))) {
            assertThat(get(h, "/api/v1/runs", ADMIN).statusCode()).isEqualTo(200);
            assertThat(get(h, "/ui/", ADMIN).statusCode()).isEqualTo(200);
            for (String path : new String[] {"/api/v1/runs", "/ui/", "/api/v1/runs/x", "/api/v1/events"}) {
                HttpResponse<String> agent = get(h, path, AGENT);
                assertThat(agent.statusCode()).as(path).isEqualTo(401);
                assertThat(agent.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"testsync admin\"");
                assertThat(agent.body()).isEqualTo("{\"code\":401,\"error\":\"missing or wrong credentials: the management API"
                        + " and /ui/ take the admin credentials (admin.username and admin.password), not the agents'\"}");
                assertThat(get(h, path, null).statusCode()).as(path).isEqualTo(401);
            }
            // and the other way round: the admin's credentials are not an agent's
            assertThat(get(h, "/tests/x", ADMIN).statusCode()).isEqualTo(401);
            assertThat(get(h, "/register/x", ADMIN).statusCode()).isEqualTo(401);
            assertThat(get(h, "/metrics", ADMIN).statusCode()).isEqualTo(401);
            assertThat(get(h, "/tests/x", AGENT).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutAdminCredentialsTheAgentsOnesOpenTheApi() throws Exception {
        try (Harness h = Harness.start()) {
            assertThat(get(h, "/api/v1/runs", AGENT).statusCode()).isEqualTo(200);
            assertThat(get(h, "/ui/", AGENT).statusCode()).isEqualTo(200);
            HttpResponse<String> none = get(h, "/api/v1/runs", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"testsync\"");
        }
    }

    @Test
    void protectedModeServesLoopbackAndStillRefusesAdminCredentialsToAgentsRoutes() throws Exception {
        try (Harness h = Harness.start(Config.defaults().withPorts(0, 0))) {
            assertThat(get(h, "/api/v1/runs", null).statusCode()).isEqualTo(200);
            assertThat(get(h, "/ui/", null).statusCode()).isEqualTo(200);
        }
        try (Harness h = Harness.start(Config.defaults().withPorts(0, 0).withAdmin(new Config.Credentials("operator", "0pen-sesame")))) {
            assertThat(get(h, "/api/v1/runs", null).statusCode()).isEqualTo(401);
            assertThat(get(h, "/api/v1/runs", ADMIN).statusCode()).isEqualTo(200);
            assertThat(get(h, "/tests/x", null).statusCode()).isEqualTo(404);
            HttpResponse<String> admin = get(h, "/tests/x", ADMIN);
            assertThat(admin.statusCode()).isEqualTo(401);
            assertThat(admin.body()).contains("these are the admin credentials, for /api/v1 and /ui/ only");
        }
    }
}
