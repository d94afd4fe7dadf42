package bot.resonance.brands;

/** The result of checking a signed event API request. */
public sealed interface SignatureCheck {

	/** The brand does not exist. */
	record BrandNotFound() implements SignatureCheck {
	}

	/**
	 * The signature (or its timestamp) is missing or wrong; {@code reason} says which.
	 */
	record Invalid(String reason) implements SignatureCheck {
	}

	/** Signed with one of the brand's current secret keys. */
	record Valid(Brand brand) implements SignatureCheck {
	}

}
