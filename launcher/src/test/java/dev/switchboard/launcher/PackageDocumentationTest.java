package dev.switchboard.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every package of the repository says in a line what it is for (its package-info.java).
 */
class PackageDocumentationTest {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	@Test
	void everyPackageHasAPackageInfoThatSaysWhatItIsFor() throws IOException {
		List<Path> packages;
		try (Stream<Path> files = Files.walk(REPOSITORY)) {
			packages = files.filter((f) -> f.toString().endsWith(".java"))
				.filter((f) -> !f.toString().contains("/target/") && f.toString().contains("/src/main/java/"))
				.map(Path::getParent)
				.distinct()
				.toList();
		}
		assertThat(packages).hasSizeGreaterThan(50);
		for (Path dir : packages) {
			Path info = dir.resolve("package-info.java");
			assertThat(info).as("%s says what the package is for", REPOSITORY.relativize(info)).exists();
			assertThat(Files.readString(info)).as(REPOSITORY.relativize(info).toString())
				.containsPattern("(?s)/\\*\\*\\s*\\S.*\\*/\\s*package ");
		}
	}

}
