package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.json.Json;

import java.util.AbstractList;
import java.util.List;

/**
 * The {@code items} column of a stored settlement, parsed on first use. Only AUD-03 reads a fact's
 * items, while a busy terminal's AUD-07 window holds thousands of facts: parsing them all for every
 * decision was a large share of the intake's CPU. Behaves as the parsed, unmodifiable list.
 */
final class LazyItems extends AbstractList<SettledFact.Item> {
    private final String json;
    private List<SettledFact.Item> parsed;

    LazyItems(String json) {
        this.json = json;
    }

    private List<SettledFact.Item> items() {
        List<SettledFact.Item> p = parsed;
        if (p == null) {
            p = json == null ? List.of() : List.of(Json.read(json, SettledFact.Item[].class));
            parsed = p; // an immutable list: a racing second parse gives an equal one
        }
        return p;
    }

    @Override
    public SettledFact.Item get(int index) {
        return items().get(index);
    }

    @Override
    public int size() {
        return items().size();
    }
}
