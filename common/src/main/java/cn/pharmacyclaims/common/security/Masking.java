package cn.pharmacyclaims.common.security;

/** AUD-23: identity numbers never reach logs in clear. */
public final class Masking {
    private Masking() {
    }

    /** Keeps the first 3 and last 2 characters: "440102199001011234" becomes "440*************34". */
    public static String mask(String id) {
        if (id == null) {
            return null;
        }
        if (id.length() <= 5) {
            return "*".repeat(id.length());
        }
        return id.substring(0, 3) + "*".repeat(id.length() - 5) + id.substring(id.length() - 2);
    }
}
