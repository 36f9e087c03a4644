package cn.pharmacyclaims.agreement.pharmacy;

/** Answer of a good import: {@code imported} rows, of which {@code created} new, {@code updated} changed, {@code unchanged} identical. */
public record ImportResult(int imported, int created, int updated, int unchanged) {
}
