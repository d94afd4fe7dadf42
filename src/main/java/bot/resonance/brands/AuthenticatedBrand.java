package bot.resonance.brands;

/**
 * The brand whose API key authenticated the current management API request. Declare it as
 * a controller method parameter.
 */
public record AuthenticatedBrand(Brand brand) {

	public String brandId() {
		return this.brand.brandId();
	}

}
