package dev.switchboard.inventory.application.port.in;

import java.util.List;
import java.util.Optional;

import dev.switchboard.inventory.domain.Product;

public interface BrowseCatalogueUseCase {

	List<Product> products();

	Optional<Product> product(String sku);

}
