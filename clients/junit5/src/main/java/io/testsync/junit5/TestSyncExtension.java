package io.testsync.junit5;

import io.testsync.client.TestSyncClient;
import io.testsync.client.TestSyncException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * The extension behind {@link TestSync} and {@link TestSyncServer}: before the class, starts the
 * in-process server (when asked) and connects the client; injects it (and the {@link TestSyncRun})
 * into static fields, instance fields and parameters of those types; after the class, closes every
 * client, then stops the server. A {@code @Nested} class shares its enclosing class's run.
 */
public final class TestSyncExtension implements BeforeAllCallback, AfterAllCallback, TestInstancePostProcessor, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestSyncExtension.class);
    private static final String RUN = "run";
    private static final String SERVER = "server";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        injectFields(context.getRequiredTestClass(), null, ensureRun(context), true);
    }

    /**
     * The run of this context's class, opened now when nothing has opened it yet: before the class
     * normally, at instance creation for a {@code PER_CLASS} lifecycle (which comes before beforeAll).
     * An enclosing class's run is found through the store's parents, and shared.
     */
    private TestSyncRun ensureRun(ExtensionContext context) throws Exception {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        ExtensionContext.Store store = classContext.getStore(NS);
        TestSyncRun run = store.get(RUN, TestSyncRun.class);
        if (run == null) {
            open(classContext, classContext.getRequiredTestClass(), store);
            run = store.get(RUN, TestSyncRun.class);
        }
        return run;
    }

    private void open(ExtensionContext context, Class<?> testClass, ExtensionContext.Store store) throws Exception {
        TestSync annotation = AnnotationSupport.findAnnotation(testClass, TestSync.class).orElse(null);
        TestSyncServer serverAnnotation = AnnotationSupport.findAnnotation(testClass, TestSyncServer.class).orElse(null);
        AutoCloseable server = null;
        Settings.Local local = null;
        java.net.URI http = null;
        if (serverAnnotation != null) {
            requireServerOnClasspath(testClass);
            InProcessServer s = InProcessServer.start(serverAnnotation.releaseLeadMs());
            server = s;
            local = s.local();
            http = s.http();
            store.put(SERVER, s);
        }
        try {
            Settings settings;
            try {
                settings = Settings.resolve(annotation, local, serverAnnotation == null ? null : defaultRunId(testClass), System::getenv);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@TestSync on " + testClass.getName() + ": " + e.getMessage());
            }
            TestSyncClient client = connect(testClass, settings);
            store.put(RUN, new TestSyncRun(settings, http, client));
            store.put(RUN + ".owner", context.getUniqueId());
        } catch (Exception | Error e) {
            store.remove(SERVER);
            if (server != null) server.close();
            throw e;
        }
    }

    private static TestSyncClient connect(Class<?> testClass, Settings settings) {
        try {
            return TestSyncClient.connect(settings.url(), settings.runId(), settings.options());
        } catch (TestSyncException | IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@TestSync on " + testClass.getName() + " could not connect to "
                    + settings.url() + " (URL from " + settings.origin() + ") as run " + settings.runId() + ": " + e.getMessage(), e);
        }
    }

    private static void requireServerOnClasspath(Class<?> testClass) {
        try {
            Class.forName(InProcessServer.SERVER_CLASS, false, testClass.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExtensionConfigurationException("@TestSyncServer on " + testClass.getName() + " needs the server on the"
                    + " test classpath: add the dependency io.testsync:testsync-server with <scope>test</scope>");
        }
    }

    /** {@code junit-<class name>}, shortened and cleaned to the run ID rule. */
    static String defaultRunId(Class<?> testClass) {
        String id = "junit-" + testClass.getName().replaceAll("[^A-Za-z0-9._-]", "-");
        return id.length() <= 128 ? id : id.substring(id.length() - 128);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NS);
        // only the class that opened the run closes it; a @Nested class leaves it to its enclosing class
        if (!context.getUniqueId().equals(store.get(RUN + ".owner", String.class))) return;
        TestSyncRun run = store.remove(RUN, TestSyncRun.class);
        store.remove(RUN + ".owner");
        AutoCloseable server = store.remove(SERVER, AutoCloseable.class);
        try {
            if (run != null) run.close();
        } finally {
            if (server != null) server.close();
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        injectFields(testInstance.getClass(), testInstance, ensureRun(context), false);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == TestSyncClient.class || type == TestSyncRun.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestSyncRun run;
        try {
            run = ensureRun(extensionContext);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ExtensionConfigurationException("@TestSync could not start the in-process server: " + e, e);
        }
        return parameterContext.getParameter().getType() == TestSyncRun.class ? run : run.client();
    }

    private static void injectFields(Class<?> type, Object instance, TestSyncRun run, boolean statics) {
        List<Field> fields = ReflectionSupport.findFields(type,
                f -> (f.getType() == TestSyncClient.class || f.getType() == TestSyncRun.class)
                        && Modifier.isStatic(f.getModifiers()) == statics && !Modifier.isFinal(f.getModifiers()),
                HierarchyTraversalMode.TOP_DOWN);
        for (Field f : fields) {
            try {
                f.setAccessible(true);
                f.set(instance, f.getType() == TestSyncRun.class ? run : run.client());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExtensionConfigurationException("cannot inject the TestSync client into " + f + ": " + e, e);
            }
        }
    }
}
