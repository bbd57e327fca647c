package org.jstunnel.config;

import java.util.List;

/** Options that also set others when written, as options.c does in CMD_SET_VALUE. */
final class Implications {
    private Implications() {}

    /** @return {target, value} pairs the option's value sets besides itself */
    static List<String[]> of(String option, String value) {
        return switch (option) {
            case "sslVersion" -> List.of(new String[] {"sslVersionMin", value}, new String[] {"sslVersionMax", value});
            case "verifyChain", "verifyPeer" ->
                    "yes".equals(value) ? List.<String[]>of(new String[] {"requireCert", "yes"}) : List.of();
            case "verify" -> {
                int level = Integer.parseInt(value);
                yield List.of(new String[] {"requireCert", yesNo(level >= 2)},
                        new String[] {"verifyChain", yesNo(level >= 1 && level <= 3)},
                        new String[] {"verifyPeer", yesNo(level >= 3)});
            }
            default -> List.of();
        };
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
