package org.jstunnel.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The engines {@code engine} lines opened so far, so engineCtrl/engineDefault/engineId/engineNum can be
 * checked as stunnel does. Only names are known here: {@code engine = auto} may register any engine.
 */
final class EngineRegistry {
    private final List<String> ids = new ArrayList<>();
    private boolean auto;

    void check(OptionSpec spec, String value) throws BadValueException {
        switch (spec.name()) {
            case "engineCtrl", "engineDefault" -> {
                if (ids.isEmpty() && !auto) throw new BadValueException("No engine was defined");
            }
            case "engineId" -> {
                if (!auto && !ids.contains(value)) throw new BadValueException("Engine ID not found");
            }
            case "engineNum" -> {
                int n = Integer.parseInt(value);
                if (!auto && (n < 1 || n > ids.size())) throw new BadValueException("Illegal engine number");
            }
            default -> { }
        }
    }

    void record(OptionSpec spec, String value) {
        if (!spec.name().equals("engine")) return;
        if (value.equalsIgnoreCase("auto")) auto = true;
        else ids.add(value);
    }
}
