package io.testsync.server.admin;

import io.testsync.server.config.Config;
import io.testsync.server.http.Auth;
import io.testsync.server.wire.Replies;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may use the management API and the live page (SPEC §10): the admin credentials when they are
 * configured (the agents' then get 401 there, and the admin's get 401 on the agents' routes), else
 * exactly the agents' rule, protected mode included.
 */
public final class AdminAuth {
    private final Auth agents;
    private final Auth admin; // null: the agents' rule applies

    public AdminAuth(Auth agents, Config.Credentials admin) {
        this.agents = agents;
        this.admin = admin == null ? null : new Auth(admin);
    }

    /** True when the request may go on; otherwise it has been answered (401 or 403). */
    boolean allows(HttpServerRequest req) {
        if (admin == null) {
            Auth.Verdict verdict = agents.check(req, false);
            if (verdict == Auth.Verdict.ALLOWED) return true;
            Auth.refuse(req, verdict);
            return false;
        }
        if (admin.check(req, false) == Auth.Verdict.ALLOWED) return true;
        req.response().putHeader("WWW-Authenticate", "Basic realm=\"testsync admin\"");
        Replies.error(req, 401, "missing or wrong credentials: the management API and /ui/ take the admin"
                + " credentials (admin.username and admin.password), not the agents'");
        return false;
    }

    /**
     * The agents' routes refuse the admin credentials. Only protected mode needs this check: with
     * agents' credentials configured, the admin's (which differ) already fail there. Answers 401 and
     * returns true when it refused.
     */
    public boolean refusedOnAgentRoute(HttpServerRequest req, boolean allowQuery) {
        if (admin == null || agents.enabled() || admin.check(req, allowQuery) != Auth.Verdict.ALLOWED) return false;
        req.response().putHeader("WWW-Authenticate", "Basic realm=\"testsync\"");
        Replies.error(req, 401, "these are the admin credentials, for /api/v1 and /ui/ only; agents' routes take"
                + " the sync_client credentials (none are configured, so send none from this machine)");
        return true;
    }
}
