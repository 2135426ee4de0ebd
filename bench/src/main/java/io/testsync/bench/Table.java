package io.testsync.bench;

import io.testsync.bench.Measure.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints rows as an aligned text table, and as one JSON object per row. */
public final class Table {
    private static final String[] HEADERS = {"scenario", "figure", "limit", "ratio", "p50 ms", "p99 ms", "max ms", "target", "result", "notes"};
    private static final Set<String> COLUMNS = Set.of(Keys.FIGURE, Keys.LIMIT, Keys.RATIO, Keys.P50, Keys.P99, Keys.MAX);

    private Table() {
    }

    public static String render(List<Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADERS);
        for (Row r : rows) lines.add(cells(r));
        int[] width = new int[HEADERS.length];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) width[i] = Math.max(width[i], l[i].length());
        StringBuilder out = new StringBuilder();
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                boolean numeric = i >= 3 && i <= 6;
                String cell = numeric ? " ".repeat(width[i] - l[i].length()) + l[i] : l[i] + " ".repeat(width[i] - l[i].length());
                line.append(cell).append(i == l.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String[] cells(Row r) {
        if (r.failed()) {
            return new String[]{r.name(), "ERROR", "-", "-", "-", "-", "-", r.target().text(), r.verdict(), r.error()};
        }
        String figure = number(r.value(Keys.FIGURE)) + " " + r.unit();
        Double limit = r.value(Keys.LIMIT);
        String limitCell = limit == null ? "-" : number(limit) + " (" + r.limitOf() + ")";
        return new String[]{r.name(), figure, limitCell, fixed(r.value(Keys.RATIO)), fixed(r.value(Keys.P50)),
                fixed(r.value(Keys.P99)), fixed(r.value(Keys.MAX)), r.target().text(), r.verdict(), notes(r)};
    }

    private static String notes(Row r) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : r.values().entrySet()) {
            if (!COLUMNS.contains(e.getKey())) parts.add(e.getKey() + " " + number(e.getValue()));
        }
        parts.add("runs " + r.runs());
        return String.join(", ", parts);
    }

    /** Large figures with thousands separators, small ones with three significant digits. */
    static String number(Double v) {
        if (v == null) return "-";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fixed(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    /** One JSON object (one line): names, every value, target and result. */
    public static String json(Row r) {
        StringBuilder b = new StringBuilder("{");
        field(b, "scenario", r.scenario());
        field(b, "params", r.params());
        b.append("\"runs\":").append(r.runs()).append(',');
        field(b, "unit", r.unit());
        if (!r.limitOf().isEmpty()) field(b, "limit_of", r.limitOf());
        for (Map.Entry<String, Double> e : r.values().entrySet()) {
            b.append(quote(e.getKey())).append(':').append(jsonNumber(e.getValue())).append(',');
        }
        field(b, "target", r.target().text());
        field(b, "result", r.verdict());
        if (r.failed()) field(b, "error", r.error());
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append(quote(key)).append(':').append(quote(value)).append(',');
    }

    private static String jsonNumber(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
