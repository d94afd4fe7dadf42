package bot.resonance.platform.crypto;

/**
 * A module's stored secrets that {@link SecretSealer} seals: at start-up, before the node
 * serves anything, each is brought to the current sealing key.
 */
public interface SealedSecrets {

	/**
	 * Reseals every stored secret of the module (usually one {@link SecretSealer#reseal}
	 * per secret column), returning how many changed.
	 */
	int reseal(SecretSealer sealer);

}
