package io.testsync.bench.scenario;

import io.testsync.bench.load.Endpoint;
import io.testsync.bench.load.LoopResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * How much some counters of a server's {@code /metrics} grew during the measured windows of one
 * side of a comparison (scraped before and after each; warm-up windows are not counted).
 */
final class ScrapedCounters {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Endpoint server;
    private final List<String> series;
    private final double[] grown;
    private boolean known = true;

    ScrapedCounters(Endpoint server, List<String> series) {
        this.server = server;
        this.series = List.copyOf(series);
        this.grown = new double[series.size()];
    }

    /** The same side, scraping around each measured window. */
    Interleave.Side around(Interleave.Side side) {
        return window -> {
            if (window.measuredSeconds() <= 0) return side.run(window);
            double[] before = scrape();
            LoopResult result = side.run(window);
            double[] after = scrape();
            if (before == null || after == null) {
                known = false;
            } else {
                for (int i = 0; i < grown.length; i++) grown[i] += after[i] - before[i];
            }
            return result;
        };
    }

    /** Growth of the i-th series over the measured windows; NaN when a scrape failed or the series was missing. */
    double grown(int i) {
        return known ? grown[i] : Double.NaN;
    }

    private double[] scrape() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.host() + ":" + server.port() + "/metrics"))
                    .header("Authorization", server.authorization()).timeout(Duration.ofSeconds(10)).GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) return null;
            double[] values = new double[series.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = valueOf(response.body(), series.get(i));
                if (Double.isNaN(values[i])) return null;
            }
            return values;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static double valueOf(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        return Double.NaN;
    }
}
