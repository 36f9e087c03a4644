package cn.pharmacyclaims.deploy.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * How fast one core of the machine is right now: SHA-256 over a fixed buffer on one thread for a
 * fixed time, in MB/s. The machine is a virtual one shared with others, and the same code has cost
 * a quarter more CPU per settlement from one run to the next (sessions 11 and 13 in
 * docs/performance.md) with nothing else in the VM to show for it. The report gives the probe
 * before the stack starts and after it stops, so a run on a slow hour can be told from a slow
 * change.
 */
final class CpuProbe {
    private CpuProbe() {
    }

    /** MB/s of SHA-256 on one thread over {@code millis} (after a short warm-up of the same work). */
    static double sha256MegabytesPerSecond(long millis) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[16 * 1024];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) (i * 31);
        }
        run(sha, buffer, Math.max(50, millis / 5)); // let the JIT compile the loop
        long bytes = run(sha, buffer, millis);
        return bytes / 1e6 / (millis / 1e3);
    }

    private static long run(MessageDigest sha, byte[] buffer, long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long bytes = 0;
        byte[] digest = null;
        while (System.nanoTime() < end) {
            sha.update(buffer);
            bytes += buffer.length;
            if ((bytes & ((1 << 20) - 1)) == 0) {
                digest = sha.digest();
                buffer[0] ^= digest[0]; // keep the work observable
            }
        }
        return bytes;
    }

    static String describe(double before, double after) {
        return String.format(Locale.ROOT, "SHA-256 on one thread: %.0f MB/s before the stack started, %.0f MB/s after it stopped",
                before, after);
    }
}
