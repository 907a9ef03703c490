package dev.switchboard.inventory;

import java.util.Set;

import dev.switchboard.inventory.domain.AllocationPolicy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class InventoryApplication {

	public static void main(String[] args) {
		SpringApplication.run(InventoryApplication.class, args);
	}

	@Bean
	AllocationPolicy allocationPolicy(
			@Value("${switchboard.inventory.unallocatable-skus:TEST-ALLOCATION-FAILS}") Set<String> skus) {
		return new AllocationPolicy(skus);
	}

}
