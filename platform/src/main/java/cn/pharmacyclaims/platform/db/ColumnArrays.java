package cn.pharmacyclaims.platform.db;

import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows turned into one array per column, the parameters of a set-based statement such as
 * {@code INSERT ... SELECT * FROM unnest($1::text[], $2::numeric[], ...)}: many rows in one
 * execution. A group transaction of a dozen settlements then executes each of its writes once
 * instead of once per row, and the database, the busiest process of the machine, does the
 * per-statement work (bind, executor start and end, protocol) once
 * (docs/performance.md, step 26).
 *
 * <p>Each column's Java type is declared once; {@code BigDecimal} columns are sent as
 * {@link Numeric} arrays (what the PostgreSQL client encodes as {@code numeric[]}). A value may be
 * null. Arrays keep the rows' order, and {@code unnest} yields them in that order.
 */
public final class ColumnArrays {
    private final Class<?>[] types;
    private final List<Object[]> rows = new ArrayList<>();

    private ColumnArrays(Class<?>[] types) {
        this.types = types.clone();
    }

    /** @param types each column's Java type, in the statement's parameter order */
    public static ColumnArrays of(Class<?>... types) {
        if (types.length == 0) {
            throw new IllegalArgumentException("at least one column");
        }
        return new ColumnArrays(types);
    }

    /** Adds a row: one value per column, in the declared order, each of its column's type or null. */
    public ColumnArrays add(Object... values) {
        if (values.length != types.length) {
            throw new IllegalArgumentException("a row of " + values.length + " values for " + types.length + " columns");
        }
        for (int c = 0; c < values.length; c++) {
            if (values[c] != null && !types[c].isInstance(values[c])) {
                throw new IllegalArgumentException("column " + (c + 1) + " is " + types[c].getSimpleName() + ", not "
                        + values[c].getClass().getSimpleName());
            }
        }
        rows.add(values.clone());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    /** The parameters: one typed array per column, each as long as the rows added. */
    public Tuple tuple() {
        Object[] params = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
            boolean numeric = types[c] == BigDecimal.class;
            Object column = Array.newInstance(numeric ? Numeric.class : types[c], rows.size());
            for (int r = 0; r < rows.size(); r++) {
                Object v = rows.get(r)[c];
                Array.set(column, r, numeric && v != null ? Numeric.create((BigDecimal) v) : v);
            }
            params[c] = column;
        }
        return Tuple.from(params);
    }
}
