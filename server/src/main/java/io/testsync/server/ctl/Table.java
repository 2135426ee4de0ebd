package io.testsync.server.ctl;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row, columns padded to their widest cell; numeric columns align right. */
final class Table {
    private final String[] head;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /** A header starting with {@code >} is a right-aligned column (the {@code >} is not shown). */
    Table(String... head) {
        this.head = new String[head.length];
        this.right = new boolean[head.length];
        for (int i = 0; i < head.length; i++) {
            right[i] = head[i].startsWith(">");
            this.head[i] = right[i] ? head[i].substring(1) : head[i];
        }
    }

    Table row(Object... cells) {
        String[] r = new String[head.length];
        for (int i = 0; i < head.length; i++) r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) width[i] = head[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        line(sb, head, width);
        for (String[] r : rows) line(sb, r, width);
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) l.append("  ");
            String pad = " ".repeat(width[i] - cells[i].length());
            l.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
