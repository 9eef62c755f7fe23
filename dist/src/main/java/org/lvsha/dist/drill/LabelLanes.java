package org.lvsha.dist.drill;

/**
 * Rows for labels placed left to right along a plot's x axis, so that labels of events close in time do
 * not print over each other: each label takes the first row whose last label ends before it starts, and
 * when every row is taken, the row that frees first (an overlap then, but the least one).
 */
final class LabelLanes {
    /** A gap kept between two labels in one row, in the plot's units. */
    static final double GAP = 4;
    private final double[] end;

    LabelLanes(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1: " + rows);
        }
        end = new double[rows];
        java.util.Arrays.fill(end, Double.NEGATIVE_INFINITY);
    }

    /** The row for a label spanning [from, from + width); labels must come in order of {@code from}. */
    int place(double from, double width) {
        int best = 0;
        for (int row = 0; row < end.length; row++) {
            if (end[row] + GAP <= from) {
                end[row] = from + width;
                return row;
            }
            if (end[row] < end[best]) {
                best = row;
            }
        }
        end[best] = Math.max(end[best], from + width);
        return best;
    }
}
