package cn.pharmacyclaims.agreement;

import io.quarkus.security.identity.SecurityIdentity;

/** SEC-04 "who": the authenticated staff member's principal name (JWT upn / sub). */
public final class StaffPrincipal {
    private StaffPrincipal() {
    }

    public static String of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || identity.getPrincipal() == null) {
            throw new IllegalStateException("a staff action needs an authenticated principal");
        }
        return identity.getPrincipal().getName();
    }
}
