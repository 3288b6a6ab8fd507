package dev.agentchat.adapter.prometheus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format, version 0.0.4, as a Prometheus server reads a scrape:
 * it refuses what the format does not allow rather than guessing. Beyond the grammar (names, escaped label
 * values, values) it holds a scrape to what a server needs of one: every sample under a family declared by
 * a single {@code # TYPE} before it, a family's lines together, no series twice, and each histogram's
 * buckets ascending and cumulative, ending at {@code +Inf} with the {@code _count}, beside a {@code _sum}.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: a series (its name and labels) and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its name, type, help and samples, in the order written. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private PrometheusText() {
    }

    /** The families of {@code text}, by name, or an {@link IllegalArgumentException} saying what breaks the format. */
    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                String family;
                if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    family = name(parts[0]);
                    if (parts.length < 2) {
                        throw new IllegalArgumentException("no text after the name");
                    }
                    if (samples.containsKey(family)) {
                        throw new IllegalArgumentException("metadata of " + family + " after its samples");
                    }
                    Map<String, String> metadata = line.startsWith("# HELP ") ? helps : types;
                    String value = line.startsWith("# HELP ") ? unescapeHelp(parts[1]) : parts[1];
                    if (metadata == types && !TYPES.contains(value)) {
                        throw new IllegalArgumentException("unknown type " + value);
                    }
                    if (metadata.putIfAbsent(family, value) != null) {
                        throw new IllegalArgumentException("a second " + line.substring(2, 6) + " of " + family);
                    }
                } else if (line.startsWith("#")) {
                    continue;   // a comment
                } else {
                    Sample sample = sample(line);
                    family = familyOf(sample, types);
                    if (!series.add(sample.name() + sample.labels())) {
                        throw new IllegalArgumentException("a second sample of " + sample.name() + sample.labels());
                    }
                    samples.computeIfAbsent(family, f -> new ArrayList<>()).add(sample);
                }
                if (!family.equals(current)) {
                    if (!finished.add(family)) {
                        throw new IllegalArgumentException("the lines of " + family + " are not together");
                    }
                    current = family;
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + number + " (" + line + "): " + e.getMessage(), e);
            }
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (Map.Entry<String, String> type : types.entrySet()) {
            Family family = new Family(type.getKey(), type.getValue(), helps.get(type.getKey()),
                    List.copyOf(samples.getOrDefault(type.getKey(), List.of())));
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            }
            families.put(family.name(), family);
        }
        return families;
    }

    private static String familyOf(Sample sample, Map<String, String> types) {
        String name = sample.name();
        String type = types.get(name);
        if (type != null && !type.equals("histogram")) {
            if (sample.labels().containsKey("le") || sample.labels().containsKey("quantile") && !type.equals("summary")) {
                throw new IllegalArgumentException("a " + type + " with a bucket or quantile label");
            }
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String familyType = types.get(family);
                if ("histogram".equals(familyType) || "summary".equals(familyType) && !suffix.equals("_bucket")) {
                    if (suffix.equals("_bucket") != sample.labels().containsKey("le")) {
                        throw new IllegalArgumentException("le belongs on the buckets, and only there");
                    }
                    return family;
                }
            }
        }
        throw new IllegalArgumentException("no TYPE declared before the sample " + name);
    }

    /** Each histogram series: buckets in ascending order, counts that never fall, +Inf last and equal to _count, a _sum. */
    private static void checkHistogram(Family family) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample sample : family.samples()) {
            Map<String, String> labels = new TreeMap<>(sample.labels());
            labels.remove("le");
            if (sample.name().endsWith("_bucket")) {
                buckets.computeIfAbsent(labels, l -> new ArrayList<>()).add(sample);
            } else if (sample.name().endsWith("_count")) {
                counts.put(labels, sample.value());
            } else {
                sums.add(labels);
            }
        }
        if (!buckets.keySet().equals(counts.keySet()) || !sums.equals(counts.keySet())) {
            throw new IllegalArgumentException(family.name() + ": series without all of their buckets, _sum and _count");
        }
        buckets.forEach((labels, series) -> {
            double bound = Double.NEGATIVE_INFINITY;
            double count = 0;
            for (Sample bucket : series) {
                double le = value(bucket.labels().get("le"));
                if (le <= bound || bucket.value() < count) {
                    throw new IllegalArgumentException(family.name() + labels + ": buckets out of order or not cumulative");
                }
                bound = le;
                count = bucket.value();
            }
            if (bound != Double.POSITIVE_INFINITY || count != counts.get(labels)) {
                throw new IllegalArgumentException(family.name() + labels + ": the +Inf bucket is not last or not the count");
            }
        });
    }

    private static Sample sample(String line) {
        int at = 0;
        while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
            at++;
        }
        String name = name(line.substring(0, at));
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                int equals = line.indexOf('=', at);
                String label = line.substring(at, equals);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException("not a label name: " + label);
                }
                if (line.charAt(equals + 1) != '"') {
                    throw new IllegalArgumentException("a label value is not quoted");
                }
                StringBuilder value = new StringBuilder();
                at = equals + 2;
                for (char c = line.charAt(at); c != '"'; c = line.charAt(++at)) {
                    if (c == '\\') {
                        value.append(switch (line.charAt(++at)) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("an unknown escape in a label value");
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("the label " + label + " twice");
                }
                at++;
                if (line.charAt(at) == ',') {
                    at++;
                } else if (line.charAt(at) != '}') {
                    throw new IllegalArgumentException("labels not separated by a comma");
                }
            }
            at++;
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        String[] rest = line.substring(at + 1).split(" ", -1);
        if (rest.length > 2) {
            throw new IllegalArgumentException("more than a value and a timestamp");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException("not a value: " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static String name(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        return name;
    }

    private static String unescapeHelp(String text) {
        StringBuilder help = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                help.append(switch (text.charAt(++i)) {
                    case '\\' -> '\\';
                    case 'n' -> '\n';
                    default -> throw new IllegalArgumentException("an unknown escape in a help text");
                });
            } else {
                help.append(c);
            }
        }
        return help.toString();
    }
}
