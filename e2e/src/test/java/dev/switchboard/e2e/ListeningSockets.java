package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP addresses a process listens on, read from Linux's {@code /proc}: the sockets
 * among its open files, looked up in the kernel's tables of TCP sockets. An address is
 * written {@code 127.0.0.1:5432}, {@code ::1:5432}, {@code *:8080} (every address).
 */
final class ListeningSockets {

	static final String ANY = "*";

	/** {@code st} of a listening socket in {@code /proc/net/tcp}. */
	private static final String LISTEN = "0A";

	private ListeningSockets() {
	}

	static List<String> of(long pid) throws IOException {
		Set<String> inodes = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			for (Path fd : fds.toList()) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException closedMeanwhile) {
					// The file was closed between listing and reading: not a listener.
				}
			}
		}
		List<String> addresses = new ArrayList<>();
		for (String table : List.of("tcp", "tcp6")) {
			Path file = Path.of("/proc", Long.toString(pid), "net", table);
			if (!Files.exists(file)) {
				continue;
			}
			List<String> lines = Files.readAllLines(file);
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.strip().split("\\s+");
				if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
					addresses.add(address(fields[1]));
				}
			}
		}
		return addresses;
	}

	static boolean isLoopback(String address) {
		return address.startsWith("127.") || address.startsWith("::1:");
	}

	/** {@code 0100007F:1538} (little-endian IPv4, hex port) to {@code 127.0.0.1:5432}. */
	private static String address(String hex) {
		String[] parts = hex.split(":");
		int port = Integer.parseInt(parts[1], 16);
		String host = parts[0];
		if (host.length() == 8) {
			return (host.equals("00000000") ? ANY : ipv4(host)) + ":" + port;
		}
		if (host.equals("0".repeat(32))) {
			return ANY + ":" + port;
		}
		if (host.equals("00000000000000000000000001000000")) {
			return "::1:" + port;
		}
		if (host.startsWith("0000000000000000FFFF0000")) {
			return ipv4(host.substring(24)) + ":" + port;
		}
		return host + ":" + port;
	}

	private static String ipv4(String littleEndianHex) {
		StringBuilder address = new StringBuilder();
		for (int i = 6; i >= 0; i -= 2) {
			address.append(Integer.parseInt(littleEndianHex.substring(i, i + 2), 16)).append(i > 0 ? "." : "");
		}
		return address.toString();
	}

}
