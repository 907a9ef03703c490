package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.switchboard.embedded.FreePorts;

/**
 * Ports for embedded infrastructure and internal services: free ones, remembered in the
 * data directory and taken again on the next start while they are still free, so a
 * restarted platform keeps its addresses.
 */
public final class Ports {

	private final Path file;

	private final Properties ports = new Properties();

	public Ports(Path dataDir) {
		this.file = dataDir.resolve("ports.properties");
		if (Files.exists(this.file)) {
			try (Reader in = Files.newBufferedReader(this.file)) {
				this.ports.load(in);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	public int get(String name) {
		String known = this.ports.getProperty(name);
		if (known != null && FreePorts.isFree(Integer.parseInt(known))) {
			return Integer.parseInt(known);
		}
		int port = FreePorts.next();
		this.ports.setProperty(name, Integer.toString(port));
		return port;
	}

	/** The port last chosen for {@code name}, in use or not. */
	public int known(String name) {
		String known = this.ports.getProperty(name);
		if (known == null) {
			throw new IllegalStateException("no port known for " + name + " in " + this.file);
		}
		return Integer.parseInt(known);
	}

	public void save() {
		try (Writer out = Files.newBufferedWriter(this.file)) {
			this.ports.store(out, "ports chosen by ./switchboard up; reused while free");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
