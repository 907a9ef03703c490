package dev.switchboard.launcher.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

class RunningServicesTest {

	@Test
	void pauseStopsAProcessAndResumeLetsItGoOn() throws Exception {
		Process sleeper = new ProcessBuilder("sleep", "60").start();
		try {
			RunningServices.signal(sleeper.toHandle(), "STOP");
			await().atMost(Duration.ofSeconds(5)).until(() -> state(sleeper).equals("T"));

			RunningServices.signal(sleeper.toHandle(), "CONT");
			await().atMost(Duration.ofSeconds(5)).until(() -> state(sleeper).equals("S"));
		}
		finally {
			sleeper.destroyForcibly();
		}
	}

	/** The process state letter from /proc: S sleeping, T stopped. */
	private static String state(Process process) throws Exception {
		String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
		return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
	}

}
