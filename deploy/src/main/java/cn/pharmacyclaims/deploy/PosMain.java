package cn.pharmacyclaims.deploy;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A tiny POS for the local run ({@code ./pos.sh}): signs and sends requests as the demo pharmacy's
 * terminal. Commands: purchase [ITEM QTY PRICE], rx, resident, non-medical, preview, get SETL_ID,
 * find MSG_ID, cancel SETL_ID, reverse MSG_ID, send PATH FILE, curl, alerts.
 */
public final class PosMain {
    private PosMain() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(System.getProperty("pc.project.root", ".")).resolve(".local/state");
        Properties p = new Properties();
        try (var in = new FileInputStream(state.resolve("stack.properties").toFile())) {
            p.load(in);
        } catch (IOException e) {
            System.err.println("The local run is not up: start it with ./run.sh");
            System.exit(2);
        }
        PosClient.Terminal t = DemoData.readTerminals(state.resolve("terminals.csv")).stream()
                .filter(x -> x.pharmacyCode().equals(DemoData.DEMO_PHARMACY)).findFirst().orElseThrow();
        PosClient pos = new PosClient(p.getProperty("pharmacy-gateway.url"), t);
        String cmd = args.length == 0 ? "purchase" : args[0];
        PosClient.Response r;
        switch (cmd) {
            case "purchase" -> {
                // a different demo person each time: CLM-08 refuses the same item again within 80% of its supply
                int persons = DemoData.Size.named(Files.readString(state.resolve("demo-loaded")).trim()).persons();
                int someone = 2 + new java.util.Random().nextInt(persons - 2);
                String item = args.length > 1 ? args[1] : DemoData.ITEM_COLD_REMEDY;
                String qty = args.length > 2 ? args[2] : "1";
                String price = args.length > 3 ? args[3] : "18.00";
                r = pos.post("/api/v1/settlements", DemoData.purchase(pos.newMsgId(), t.pharmacyCode(), DemoData.psnNo(someone),
                        DemoData.certNo(someone), item, qty, price));
            }
            case "rx" -> r = pos.post("/api/v1/settlements", DemoData.rxPurchase(pos.newMsgId(), t.pharmacyCode()));
            case "resident" -> r = pos.post("/api/v1/settlements", DemoData.purchase(pos.newMsgId(), t.pharmacyCode(),
                    DemoData.DEMO_RESIDENT_PSN, DemoData.DEMO_RESIDENT_CERT, DemoData.ITEM_COLD_REMEDY, "1", "18.00"));
            case "non-medical" -> r = pos.post("/api/v1/settlements", DemoData.purchase(pos.newMsgId(), t.pharmacyCode(),
                    DemoData.DEMO_PSN, DemoData.DEMO_CERT, DemoData.ITEM_NON_MEDICAL, "1", "99.00"));
            case "preview" -> r = pos.post("/api/v1/settlements/preview", DemoData.purchase(pos.newMsgId(), t.pharmacyCode(),
                    DemoData.DEMO_PSN, DemoData.DEMO_CERT, DemoData.ITEM_COLD_REMEDY, "1", "18.00"));
            case "get" -> r = pos.get("/api/v1/settlements/" + args[1]);
            case "find" -> r = pos.get("/api/v1/settlements?msgId=" + args[1]);
            case "cancel" -> r = pos.post("/api/v1/settlements/" + args[1] + "/cancel", "{\"msgId\":\"" + pos.newMsgId() + "\"}");
            case "reverse" -> r = pos.post("/api/v1/reversals", "{\"msgId\":\"" + pos.newMsgId() + "\",\"originalMsgId\":\"" + args[1] + "\"}");
            case "send" -> r = pos.post(args[1], Files.readString(Path.of(args[2])));
            case "curl" -> {
                System.out.println(pos.curl("/api/v1/settlements", DemoData.purchase(pos.newMsgId(), t.pharmacyCode(),
                        DemoData.DEMO_PSN, DemoData.DEMO_CERT, DemoData.ITEM_COLD_REMEDY, "1", "18.00")));
                return;
            }
            case "alerts" -> {
                String token = Files.readString(state.resolve("admin.token")).trim();
                HttpResponse<String> a = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(p.getProperty("audit-service.url") + "/api/v1/alerts?limit=20"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                System.out.println("HTTP " + a.statusCode());
                System.out.println(a.body());
                return;
            }
            default -> {
                System.err.println("commands: purchase [ITEM QTY PRICE] | rx | resident | non-medical | preview | get SETL_ID | "
                        + "find MSG_ID | cancel SETL_ID | reverse MSG_ID | send PATH FILE | curl | alerts");
                System.exit(2);
                return;
            }
        }
        System.out.println("HTTP " + r.status() + r.location().map(l -> "  Location: " + l).orElse(""));
        System.out.println(r.body());
    }
}
