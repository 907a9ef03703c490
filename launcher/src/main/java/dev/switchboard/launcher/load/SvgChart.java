package dev.switchboard.launcher.load;

import java.util.List;
import java.util.Locale;

/**
 * The bench's two charts as SVG text: a line chart on a logarithmic y axis and a stacked
 * horizontal bar chart. Written by hand because the charts are a few dozen shapes and a
 * charting library (JFreeChart and the like) would add megabytes and a renderer to the
 * command for them.
 */
final class SvgChart {

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
			"#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

	private static final int WIDTH = 760;

	private static final int LEFT = 70;

	private static final int RIGHT = 200;

	private static final int TOP = 40;

	private SvgChart() {
	}

	/** A named series of (x, y) points. */
	record Series(String name, List<double[]> points) {
	}

	/** A line chart with a linear x axis and a logarithmic y axis. */
	static String lines(String title, String xLabel, String yLabel, List<Series> series) {
		int height = 440;
		int bottom = 60;
		double xMax = series.stream().flatMap((s) -> s.points().stream()).mapToDouble((p) -> p[0]).max().orElse(1)
				* 1.05;
		double yMin = series.stream()
			.flatMap((s) -> s.points().stream())
			.mapToDouble((p) -> p[1])
			.filter((y) -> y > 0)
			.min()
			.orElse(1);
		double yMax = series.stream().flatMap((s) -> s.points().stream()).mapToDouble((p) -> p[1]).max().orElse(10);
		double logMin = Math.floor(Math.log10(Math.max(yMin, 1e-3)));
		double logMax = Math.ceil(Math.log10(Math.max(yMax, yMin * 10)));
		int plotWidth = WIDTH - LEFT - RIGHT;
		int plotHeight = height - TOP - bottom;
		StringBuilder svg = header(title, height);
		for (double decade = logMin; decade <= logMax; decade++) {
			double y = TOP + plotHeight - (decade - logMin) / (logMax - logMin) * plotHeight;
			svg.append(line(LEFT, y, LEFT + plotWidth, y, "#ddd"));
			svg.append(text(LEFT - 8, y + 4, format(Math.pow(10, decade)), "end", 11));
		}
		for (int i = 0; i <= 5; i++) {
			double value = xMax * i / 5;
			double x = LEFT + plotWidth * i / 5.0;
			svg.append(line(x, TOP + plotHeight, x, TOP + plotHeight + 5, "#333"));
			svg.append(text(x, TOP + plotHeight + 18, format(value), "middle", 11));
		}
		svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#333"));
		svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#333"));
		svg.append(text(LEFT + plotWidth / 2.0, height - 15, xLabel, "middle", 12));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"16\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
				TOP + plotHeight / 2.0, TOP + plotHeight / 2.0, escape(yLabel)));
		for (int s = 0; s < series.size(); s++) {
			String colour = COLOURS[s % COLOURS.length];
			StringBuilder path = new StringBuilder();
			for (double[] point : series.get(s).points()) {
				double x = LEFT + point[0] / xMax * plotWidth;
				double y = TOP + plotHeight - (Math.log10(Math.max(point[1], Math.pow(10, logMin))) - logMin)
						/ (logMax - logMin) * plotHeight;
				path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
				svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
						colour));
			}
			svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
					path, colour));
			legend(svg, s, series.get(s).name(), colour);
		}
		return svg.append("</svg>\n").toString();
	}

	/**
	 * One bar of a stacked bar chart: a label and its segments' values, in the order of
	 * the segment names.
	 */
	record Bar(String label, double[] values) {
	}

	/** Horizontal stacked bars, one per label. */
	static String bars(String title, String xLabel, List<String> segments, List<Bar> bars) {
		int rowHeight = 26;
		int height = TOP + bars.size() * rowHeight + 70;
		int left = 170;
		int plotWidth = WIDTH - left - RIGHT;
		double max = bars.stream()
			.mapToDouble((b) -> java.util.Arrays.stream(b.values()).map((v) -> Math.max(v, 0)).sum())
			.max()
			.orElse(1) * 1.1;
		StringBuilder svg = header(title, height);
		for (int i = 0; i < bars.size(); i++) {
			Bar bar = bars.get(i);
			double y = TOP + i * rowHeight;
			svg.append(text(left - 8, y + rowHeight / 2.0 + 4, bar.label(), "end", 12));
			double x = left;
			for (int s = 0; s < bar.values().length; s++) {
				double w = Math.max(bar.values()[s], 0) / max * plotWidth;
				svg.append(String.format(Locale.ROOT,
						"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", x, y + 3, w,
						rowHeight - 6, COLOURS[s % COLOURS.length]));
				x += w;
			}
			double total = java.util.Arrays.stream(bar.values()).sum();
			svg.append(text(x + 4, y + rowHeight / 2.0 + 4, format(total), "start", 11));
		}
		double axisY = TOP + bars.size() * rowHeight + 5;
		svg.append(line(left, axisY, left + plotWidth, axisY, "#333"));
		for (int i = 0; i <= 5; i++) {
			double x = left + plotWidth * i / 5.0;
			svg.append(line(x, axisY, x, axisY + 5, "#333"));
			svg.append(text(x, axisY + 18, format(max * i / 5), "middle", 11));
		}
		svg.append(text(left + plotWidth / 2.0, axisY + 40, xLabel, "middle", 12));
		for (int s = 0; s < segments.size(); s++) {
			legend(svg, s, segments.get(s), COLOURS[s % COLOURS.length]);
		}
		return svg.append("</svg>\n").toString();
	}

	private static StringBuilder header(String title, int height) {
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n",
				WIDTH, height, WIDTH, height));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
		svg.append(text(WIDTH / 2.0, 22, title, "middle", 14));
		return svg;
	}

	private static void legend(StringBuilder svg, int index, String name, String colour) {
		double x = WIDTH - RIGHT + 20;
		double y = TOP + 10 + index * 20;
		svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
				x, y - 10, colour));
		svg.append(text(x + 18, y, name, "start", 12));
	}

	private static String line(double x1, double y1, double x2, double y2, String colour) {
		return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1,
				y1, x2, y2, colour);
	}

	private static String text(double x, double y, String text, String anchor, int size) {
		return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>%n",
				x, y, size, anchor, escape(text));
	}

	static String format(double value) {
		if (value == 0) {
			return "0";
		}
		if (Math.abs(value) >= 100) {
			return String.format(Locale.ROOT, "%.0f", value);
		}
		if (Math.abs(value) >= 1) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.3g", value);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
