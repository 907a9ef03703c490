package dev.switchboard.launcher.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One scrape of a service's {@code /actuator/prometheus}: its samples, read from
 * Prometheus's text format (comments skipped, label values unescaped).
 */
final class Samples {

	record Sample(String name, Map<String, String> labels, double value) {

		String label(String key) {
			return this.labels.getOrDefault(key, "");
		}

	}

	private final List<Sample> samples;

	private Samples(List<Sample> samples) {
		this.samples = samples;
	}

	static final Samples NONE = new Samples(List.of());

	static Samples parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			Sample sample = sample(line);
			if (sample != null) {
				samples.add(sample);
			}
		}
		return new Samples(samples);
	}

	private static Sample sample(String line) {
		int brace = line.indexOf('{');
		int space = line.lastIndexOf(' ');
		if (space < 0) {
			return null;
		}
		String name;
		Map<String, String> labels = new LinkedHashMap<>();
		if (brace >= 0 && brace < space) {
			name = line.substring(0, brace);
			int i = brace + 1;
			while (i < line.length() && line.charAt(i) != '}') {
				int equals = line.indexOf('=', i);
				if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
					return null;
				}
				String key = line.substring(i, equals);
				StringBuilder value = new StringBuilder();
				int j = equals + 2;
				while (j < line.length() && line.charAt(j) != '"') {
					char c = line.charAt(j);
					if (c == '\\' && j + 1 < line.length()) {
						char next = line.charAt(++j);
						value.append((next == 'n') ? '\n' : next);
					}
					else {
						value.append(c);
					}
					j++;
				}
				labels.put(key, value.toString());
				i = j + 1;
				if (i < line.length() && line.charAt(i) == ',') {
					i++;
				}
			}
		}
		else {
			name = line.substring(0, space);
		}
		try {
			return new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** The sum of every sample named {@code name} whose labels pass {@code which}. */
	double sum(String name, Predicate<Sample> which) {
		double sum = 0;
		for (Sample sample : this.samples) {
			if (sample.name().equals(name) && which.test(sample)) {
				sum += sample.value();
			}
		}
		return sum;
	}

	List<Sample> named(String name) {
		return this.samples.stream().filter((sample) -> sample.name().equals(name)).toList();
	}

	/**
	 * The cumulative counts of a histogram's buckets by upper bound, summed over the
	 * samples {@code which} passes.
	 */
	TreeMap<Double, Double> buckets(String name, Predicate<Sample> which) {
		TreeMap<Double, Double> buckets = new TreeMap<>();
		for (Sample sample : this.samples) {
			if (sample.name().equals(name) && which.test(sample)) {
				double bound = sample.label("le").equals("+Inf") ? Double.POSITIVE_INFINITY
						: Double.parseDouble(sample.label("le"));
				buckets.merge(bound, sample.value(), Double::sum);
			}
		}
		return buckets;
	}

	/**
	 * The {@code quantile} of the observations between two scrapes of a histogram (the
	 * upper bound of the bucket it falls in), or {@code NaN} when none were made.
	 */
	static double quantile(double quantile, TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
		double total = after.isEmpty() ? 0 : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
		if (total <= 0) {
			return Double.NaN;
		}
		for (Map.Entry<Double, Double> bucket : after.entrySet()) {
			double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
			if (count >= quantile * total) {
				return bucket.getKey();
			}
		}
		return after.lastKey();
	}

}
