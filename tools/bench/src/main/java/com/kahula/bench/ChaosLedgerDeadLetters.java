package com.kahula.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The chaos ledger's check of the dead-letter queue against the poison it expects there. */
final class ChaosLedgerDeadLetters {

    private ChaosLedgerDeadLetters() {}

    /** Every poison message parked with its reason, at least once; nothing else parked. */
    static void check(
            List<ChaosLedger.Poison> poison,
            List<Map.Entry<String, String>> deadLetters,
            ChaosLedgerFindings findings) {
        Map<String, String> reasons = new HashMap<>();
        poison.forEach(injected -> reasons.put(injected.body(), injected.reason()));
        Set<String> parkedRight = new HashSet<>();
        for (Map.Entry<String, String> letter : deadLetters) {
            String reason = reasons.get(letter.getKey());
            if (reason == null) {
                findings.add("unexpected dead letter", letter.getValue() + ": " + abbreviated(letter.getKey()));
            } else if (!reason.equals(letter.getValue())) {
                findings.add("poison parked with another reason", reason + " parked as " + letter.getValue());
            } else {
                parkedRight.add(letter.getKey());
            }
        }
        for (ChaosLedger.Poison injected : poison) {
            if (!parkedRight.contains(injected.body())) {
                findings.add("poison not parked", injected.reason() + ": " + abbreviated(injected.body()));
            }
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
