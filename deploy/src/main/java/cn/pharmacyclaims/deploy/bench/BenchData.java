package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.deploy.AdminClient;
import cn.pharmacyclaims.deploy.DemoData;
import cn.pharmacyclaims.deploy.LocalStack;
import cn.pharmacyclaims.deploy.PosClient;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo registry of {@link DemoData}, generated once and kept in memory, so that the load
 * generator knows whom and what it may buy: who has an account, who is chronically ill and which
 * items cover which disease, which items need a prescription. It is loaded through the same admin
 * imports as the local run ({@link DemoData#load} does the same calls in the same order).
 */
public final class BenchData {

    public record Person(int index, String psnNo, String certNo, boolean employee, String regionCode, String disease,
                         BigDecimal balance) {
    }

    public record Item(String code, String itemClass, boolean rx, BigDecimal paymentStandard, List<String> chronicDiseases) {
    }

    private final DemoData.Size size;
    private final List<Map<String, Object>> policies;
    private final List<Map<String, Object>> institutions;
    private final List<Map<String, Object>> catalogue;
    private final List<Map<String, Object>> personRows;
    private final List<Map<String, Object>> pharmacyRows;
    private final List<Person> persons = new ArrayList<>();
    private final List<Item> items = new ArrayList<>();
    private final Map<String, List<String>> pharmaciesByRegion = new LinkedHashMap<>();

    private BenchData(String sizeName) {
        this.size = DemoData.Size.named(sizeName);
        DemoData demo = new DemoData(size);
        // the order DemoData.load uses: the generator's random sequence depends on it
        policies = demo.policies();
        institutions = demo.institutions();
        catalogue = demo.catalogue();
        personRows = demo.persons();
        pharmacyRows = demo.pharmacies();
        for (int i = 0; i < personRows.size(); i++) {
            Map<String, Object> p = personRows.get(i);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> chronic = (List<Map<String, Object>>) p.get("chronic");
            @SuppressWarnings("unchecked")
            List<String> certs = (List<String>) p.get("certNos");
            persons.add(new Person(i, (String) p.get("psnNo"), certs.get(0), "EMPLOYEE".equals(p.get("insuranceType")),
                    (String) p.get("regionCode"), chronic.isEmpty() ? null : (String) chronic.get(0).get("diseaseCode"),
                    new BigDecimal((String) p.get("accountBalance"))));
        }
        for (Map<String, Object> m : catalogue) {
            String standard = (String) m.get("paymentStandard");
            @SuppressWarnings("unchecked")
            List<String> chronic = (List<String>) m.get("chronicDiseases");
            items.add(new Item((String) m.get("itemCode"), (String) m.get("class"), (Boolean) m.get("rx"),
                    standard == null ? null : new BigDecimal(standard), chronic));
        }
        for (Map<String, Object> ph : pharmacyRows) {
            pharmaciesByRegion.computeIfAbsent((String) ph.get("regionCode"), r -> new ArrayList<>()).add((String) ph.get("code"));
        }
    }

    public static BenchData generate(String sizeName) {
        return new BenchData(sizeName);
    }

    public DemoData.Size size() {
        return size;
    }

    public List<Person> persons() {
        return persons;
    }

    public List<Item> items() {
        return items;
    }

    /** Pharmacy codes per region, in registration order. */
    public Map<String, List<String>> pharmaciesByRegion() {
        return pharmaciesByRegion;
    }

    public int pharmacyCount() {
        return pharmacyRows.size();
    }

    /** Σ of every account balance as imported: the reconciliation compares it with the balances after the run. */
    public BigDecimal initialBalances() {
        return persons.stream().map(Person::balance).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> m = new HashMap<>();
        m.put("pharmacies", pharmacyRows.size());
        m.put("persons", persons.size());
        m.put("items", items.size());
        return m;
    }

    /** Loads the registry through the admin imports and registers one terminal per pharmacy. */
    public List<PosClient.Terminal> load(LocalStack stack, AdminClient admin, Path terminalsFile) {
        String settlement = stack.url(LocalStack.Service.SETTLEMENT);
        String agreement = stack.url(LocalStack.Service.AGREEMENT);
        admin.importInBatches(settlement + "/api/v1/admin/policies", policies, 100);
        admin.importInBatches(settlement + "/api/v1/admin/institutions", institutions, 1000);
        admin.importInBatches(settlement + "/api/v1/admin/catalogue", catalogue, 2000);
        admin.importInBatches(settlement + "/api/v1/admin/persons", personRows, 5000);
        admin.importInBatches(agreement + "/api/v1/admin/pharmacies", pharmacyRows, 1000);
        return DemoData.registerTerminals(admin, agreement, pharmacyRows, terminalsFile);
    }
}
