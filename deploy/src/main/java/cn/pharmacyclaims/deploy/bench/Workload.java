package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.deploy.DemoData;
import cn.pharmacyclaims.deploy.PosClient;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The request mix: what each slot of the schedule sends, drawn from the demo registry so that the
 * requests look like a city's counters. Persons are walked in a random permutation and buy at a
 * pharmacy of their own region (their "home" pharmacy), and never buy the same item twice within
 * a run, so CLM-08 (refill too soon) and the AUD pattern rules stay quiet and the rejections are
 * the deliberate ones: NON_MEDICAL goods (AUD-01 alert, whose latency is measured) and unknown
 * catalogue codes. About 1% of the slots cancel a purchase that just settled (CLM-14) and 0.5%
 * reverse one just sent (CLM-15), as a POS does after a timeout.
 *
 * <p>Only the sender thread calls {@link #next}; the response callbacks feed {@link #settled}.
 */
public final class Workload {

    public enum Kind {
        PURCHASE("purchase (no prescription)", true),
        RX_CHRONIC("chronic person, disease item on e-prescription", true),
        RX_POOLING("Rx item on e-prescription (outpatient pooling)", true),
        NON_MEDICAL("deliberate rejection: NON_MEDICAL item", true),
        UNKNOWN_ITEM("deliberate rejection: unknown item", true),
        CANCEL("cancellation of a just-settled purchase", false),
        REVERSAL("timeout reversal of a just-sent purchase", false);

        public final String label;
        public final boolean settle;

        Kind(String label, boolean settle) {
            this.label = label;
            this.settle = settle;
        }
    }

    /** Shares of the slots; whatever is left is purchases. */
    public record Mix(double cancel, double reversal, double nonMedical, double unknownItem, double chronicRx,
                      double poolingRx) {
        public static Mix standard() {
            // cancel 1%, reversal 0.5%, deliberate rejections 3%; a chronic person buys the disease item half the
            // time; 15% of the other purchases are Rx items on an e-prescription (outpatient pooling)
            return new Mix(0.01, 0.005, 0.02, 0.01, 0.5, 0.15);
        }
    }

    /** One slot's request, ready to sign and send. */
    public record Planned(long index, Kind kind, PosClient.Terminal terminal, String path, String body, String msgId,
                          Purchase purchase) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    static final String INSTITUTION = DemoData.INSTITUTION;
    static final String PHYSICIAN = DemoData.PHYSICIAN;
    private static final BigDecimal FIFTY = new BigDecimal("50.00");
    private static final BigDecimal TEN = new BigDecimal("10.00");

    private final Mix mix;
    private final Random random;
    private final List<BenchData.Person> persons;
    private final List<BenchData.Item> plainItems = new ArrayList<>();
    private final List<BenchData.Item> rxItems = new ArrayList<>();
    private final Map<String, List<BenchData.Item>> itemsByDisease = new HashMap<>();
    private final Map<String, List<PosClient.Terminal>> terminalsByRegion = new LinkedHashMap<>();
    private final List<PosClient.Terminal> allTerminals;
    private final Map<String, int[]> sequences = new HashMap<>();
    private final Map<Integer, Set<String>> bought = new HashMap<>();
    private final PosClient.Terminal[] home;
    private final int[] walk;
    private int walkPos;
    private final LongSupplier epochMillis;
    private long stampSecond = Long.MIN_VALUE;
    private String stamp;
    private String occurredAt;
    private String issuedAt;

    // purchases: every one by msgId; the settled ones a cancellation may take; the last ones sent for reversals
    private final Map<String, Purchase> purchases = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Purchase> cancellable = new ConcurrentLinkedDeque<>();
    // its size, kept here: ConcurrentLinkedDeque.size() walks the whole deque (4,096 nodes once full, at every answer)
    private final AtomicInteger cancellableSize = new AtomicInteger();
    private static final int CANCELLABLE = 4096;
    private final ArrayDeque<Purchase> recentlySent = new ArrayDeque<>();
    private static final int RECENT = 256;

    public Workload(BenchData data, List<PosClient.Terminal> terminals, Mix mix, long seed, LongSupplier epochMillis) {
        this.mix = mix;
        this.random = new Random(seed);
        this.persons = data.persons();
        this.epochMillis = epochMillis;
        this.allTerminals = List.copyOf(terminals);
        for (BenchData.Item it : data.items()) {
            boolean medical = !it.itemClass().equals("NON_MEDICAL");
            if (medical && !it.rx()) {
                plainItems.add(it);
            }
            if (medical && it.rx() && !it.itemClass().equals("C")) {
                rxItems.add(it);
            }
            if (medical && it.rx()) {
                for (String d : it.chronicDiseases()) {
                    itemsByDisease.computeIfAbsent(d, k -> new ArrayList<>()).add(it);
                }
            }
        }
        Map<String, PosClient.Terminal> byPharmacy = new HashMap<>();
        for (PosClient.Terminal t : terminals) {
            byPharmacy.put(t.pharmacyCode(), t);
        }
        data.pharmaciesByRegion().forEach((region, codes) -> {
            List<PosClient.Terminal> ts = codes.stream().map(byPharmacy::get).filter(java.util.Objects::nonNull).toList();
            if (!ts.isEmpty()) {
                terminalsByRegion.put(region, ts);
            }
        });
        // home pharmacies: each region's persons, shuffled, dealt round-robin to the region's pharmacies, so every
        // terminal gets the same share of the load (the gateway limits the rate per terminal)
        home = new PosClient.Terminal[persons.size()];
        Map<String, List<Integer>> byRegion = new LinkedHashMap<>();
        for (BenchData.Person p : persons) {
            byRegion.computeIfAbsent(p.regionCode(), k -> new ArrayList<>()).add(p.index());
        }
        byRegion.forEach((region, members) -> {
            List<PosClient.Terminal> ts = terminalsByRegion.getOrDefault(region, allTerminals);
            java.util.Collections.shuffle(members, random);
            for (int k = 0; k < members.size(); k++) {
                home[members.get(k)] = ts.get(k % ts.size());
            }
        });
        walk = new int[persons.size()];
        for (int i = 0; i < walk.length; i++) {
            walk[i] = i;
        }
        shuffle();
    }

    private void shuffle() {
        for (int i = walk.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = walk[i];
            walk[i] = walk[j];
            walk[j] = t;
        }
        walkPos = 0;
    }

    private BenchData.Person nextPerson() {
        if (walkPos == walk.length) {
            shuffle();
        }
        return persons.get(walk[walkPos++]);
    }

    /** A person's home pharmacy: one of their region, fixed per person (no AUD-02 pharmacy hopping). */
    PosClient.Terminal home(BenchData.Person p) {
        return home[p.index()];
    }

    /** The request of slot {@code index}, due at {@code intendedNanos}. */
    public Planned next(long index, long intendedNanos, boolean measured) {
        refreshClock();
        double r = random.nextDouble();
        double edge = mix.cancel();
        if (r < edge) {
            Planned p = cancel(index);
            if (p != null) {
                return p;
            }
        } else if (r < (edge += mix.reversal())) {
            Planned p = reversal(index);
            if (p != null) {
                return p;
            }
        } else if (r < (edge += mix.nonMedical())) {
            BenchData.Person person = nextPerson();
            return purchase(index, intendedNanos, measured, Kind.NON_MEDICAL, person, DemoData.ITEM_NON_MEDICAL, "1",
                    "39.90", 7, null);
        } else if (r < edge + mix.unknownItem()) {
            BenchData.Person person = nextPerson();
            String unknown = String.format("XZ%012d", random.nextInt(1_000_000_000));
            return purchase(index, intendedNanos, measured, Kind.UNKNOWN_ITEM, person, unknown, "1", "23.40", 7, null);
        }
        return medicalPurchase(index, intendedNanos, measured, nextPerson());
    }

    private Planned medicalPurchase(long index, long intendedNanos, boolean measured, BenchData.Person person) {
        Set<String> had = bought.computeIfAbsent(person.index(), k -> new HashSet<>(4));
        if (person.disease() != null && random.nextDouble() < mix.chronicRx()) {
            BenchData.Item item = pick(itemsByDisease.getOrDefault(person.disease(), List.of()), had);
            if (item != null) {
                had.add(item.code());
                // CLM-07: 28 days is allowed for the registered disease; CLM-11: CHRONIC benefit
                return purchase(index, intendedNanos, measured, Kind.RX_CHRONIC, person, item.code(), "1",
                        price(item), 28, person.disease());
            }
        }
        if (random.nextDouble() < mix.poolingRx()) {
            BenchData.Item item = pick(rxItems, had);
            if (item != null) {
                had.add(item.code());
                return purchase(index, intendedNanos, measured, Kind.RX_POOLING, person, item.code(), quantity(item),
                        price(item), 7, "J06.9");
            }
        }
        BenchData.Item item = pick(plainItems, had);
        if (item == null) {
            item = plainItems.get(random.nextInt(plainItems.size())); // only when a person has bought everything
        }
        had.add(item.code());
        return purchase(index, intendedNanos, measured, Kind.PURCHASE, person, item.code(), quantity(item), price(item),
                3 + random.nextInt(5), null);
    }

    /** A random item the person has not bought in this run (CLM-08), or null. */
    private BenchData.Item pick(List<BenchData.Item> from, Set<String> had) {
        if (from.isEmpty()) {
            return null;
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            BenchData.Item it = from.get(random.nextInt(from.size()));
            if (!had.contains(it.code())) {
                return it;
            }
        }
        return null;
    }

    private String quantity(BenchData.Item item) {
        return Integer.toString(1 + random.nextInt(2));
    }

    /** A price around the payment standard (sometimes over it: CLM-11 overLimit); 12..120 when there is none. */
    private String price(BenchData.Item item) {
        BigDecimal p;
        if (item.paymentStandard() != null) {
            double factor = 0.85 + random.nextInt(26) / 100.0; // 0.85 .. 1.10
            p = item.paymentStandard().multiply(BigDecimal.valueOf(factor)).setScale(2, RoundingMode.HALF_UP);
        } else {
            p = BigDecimal.valueOf(1200 + random.nextInt(10800), 2);
        }
        if (p.compareTo(TEN) < 0) {
            p = p.add(TEN); // AUD-09 watches many settlements under 10.00
        }
        if (p.remainder(FIFTY).signum() == 0) {
            p = p.add(new BigDecimal("0.01")); // AUD-05 watches round totals
        }
        return p.toPlainString();
    }

    private Planned purchase(long index, long intendedNanos, boolean measured, Kind kind, BenchData.Person person,
                             String itemCode, String quantity, String unitPrice, int daysSupply, String diagnosis) {
        PosClient.Terminal t = home(person);
        String msgId = newMsgId(t);
        String body = settlementBody(msgId, t.pharmacyCode(), occurredAt, person.psnNo(), person.certNo(), itemCode, quantity,
                unitPrice, daysSupply, diagnosis == null ? null : issuedAt, diagnosis);
        Purchase purchase = new Purchase(msgId, kind, t, intendedNanos, measured);
        purchases.put(msgId, purchase);
        recentlySent.addLast(purchase);
        if (recentlySent.size() > RECENT) {
            recentlySent.removeFirst();
        }
        return new Planned(index, kind, t, "/api/v1/settlements", body, msgId, purchase);
    }

    /** CLM-14: the most recently settled purchase that nothing else undoes; null when none is there yet. */
    private Planned cancel(long index) {
        Purchase target;
        while ((target = cancellable.pollLast()) != null) {
            cancellableSize.decrementAndGet();
            if (target.undoClaimed.compareAndSet(false, true)) {
                target.undoKind = "CANCEL";
                String msgId = newMsgId(target.terminal);
                return new Planned(index, Kind.CANCEL, target.terminal, "/api/v1/settlements/" + target.setlId + "/cancel",
                        "{\"msgId\":\"" + msgId + "\",\"operatorId\":\"op-7\"}", msgId, target);
            }
        }
        return null;
    }

    /** CLM-15: one of the last purchases sent, as a POS that got no answer in time; null when none is there yet. */
    private Planned reversal(long index) {
        if (recentlySent.isEmpty()) {
            return null;
        }
        List<Purchase> recent = new ArrayList<>(recentlySent);
        for (int attempt = 0; attempt < 8; attempt++) {
            Purchase target = recent.get(random.nextInt(recent.size()));
            if (target.kind.settle && target.kind != Kind.NON_MEDICAL && target.undoClaimed.compareAndSet(false, true)) {
                target.undoKind = "REVERSAL";
                String msgId = newMsgId(target.terminal);
                return new Planned(index, Kind.REVERSAL, target.terminal, "/api/v1/reversals",
                        "{\"msgId\":\"" + msgId + "\",\"originalMsgId\":\"" + target.msgId + "\"}", msgId, target);
            }
        }
        return null;
    }

    /** Called by the response callback: a settled purchase becomes a candidate for a cancellation. */
    public void settled(Purchase p) {
        if (!p.undoClaimed.get()) {
            cancellable.addLast(p);
            if (cancellableSize.incrementAndGet() > CANCELLABLE && cancellable.pollFirst() != null) {
                cancellableSize.decrementAndGet();
            }
        }
    }

    public Map<String, Purchase> purchases() {
        return purchases;
    }

    public Purchase purchase(String msgId) {
        return purchases.get(msgId);
    }

    /** CLM-01: pharmacy code (12), yyyyMMddHHmmss Beijing time (14), sequence (4), per terminal. */
    private String newMsgId(PosClient.Terminal t) {
        int[] seq = sequences.computeIfAbsent(t.terminalId(), k -> new int[1]);
        int s = seq[0]++ % 10_000;
        return t.pharmacyCode() + stamp + (s < 10 ? "000" : s < 100 ? "00" : s < 1000 ? "0" : "") + s;
    }

    private void refreshClock() {
        long ms = epochMillis.getAsLong();
        long second = Math.floorDiv(ms, 1000);
        if (second != stampSecond) {
            stampSecond = second;
            OffsetDateTime now = OffsetDateTime.ofInstant(Instant.ofEpochSecond(second), PosClient.BEIJING);
            stamp = now.format(STAMP);
            occurredAt = now.toString();
            // issued 20 minutes before the sale, valid 3 days: never "expired" around midnight (CLM-06)
            issuedAt = now.minusMinutes(20).toString();
        }
    }

    /** POS-API.md §1 settlement request with one line; an e-prescription when {@code diagnosis} is given. */
    static String settlementBody(String msgId, String pharmacyCode, String occurredAt, String psnNo, String certNo,
                                 String itemCode, String quantity, String unitPrice, int daysSupply, String issuedAt,
                                 String diagnosis) {
        StringBuilder b = new StringBuilder(640);
        b.append("{\"msgId\":\"").append(msgId).append("\",\"pharmacyCode\":\"").append(pharmacyCode)
                .append("\",\"occurredAt\":\"").append(occurredAt)
                .append("\",\"operatorId\":\"op-7\",\"insured\":{\"psnNo\":\"").append(psnNo)
                .append("\",\"certType\":\"SOCIAL_CARD\",\"certNo\":\"").append(certNo).append("\"},");
        if (diagnosis != null) {
            b.append("\"prescription\":{\"rxNo\":\"RX").append(msgId).append("\",\"electronic\":true,\"institutionCode\":\"")
                    .append(INSTITUTION).append("\",\"physicianCode\":\"").append(PHYSICIAN).append("\",\"patientPsnNo\":\"")
                    .append(psnNo).append("\",\"issuedAt\":\"").append(issuedAt)
                    .append("\",\"validDays\":3,\"diagnosisCode\":\"").append(diagnosis).append("\"},");
        }
        b.append("\"useAccount\":true,\"lines\":[{\"lineNo\":1,\"itemCode\":\"").append(itemCode)
                .append("\",\"quantity\":\"").append(quantity).append("\",\"unitPrice\":\"").append(unitPrice)
                .append("\",\"daysSupply\":").append(daysSupply);
        if (diagnosis != null) {
            b.append(",\"pharmacistLicence\":\"PH-0091\"");
        }
        b.append("}]}");
        return b.toString();
    }

    /** For the report: how the slots were meant to be shared. */
    public Mix mix() {
        return mix;
    }
}
