package bot.resonance.platform.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated admin token and the data folder: one folder used with two databases (the
 * embedded one, then another through {@code SPRING_DATASOURCE_URL}) keeps both tokens,
 * never writing one database's over the other's, and each start says which file holds the
 * token in force.
 */
class AdminTokensTests {

	private static EmbeddedPostgres postgres;

	@TempDir
	Path data;

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
		JdbcClient server = JdbcClient.create(postgres.getPostgresDatabase());
		for (String name : new String[] { "first", "second", "third" }) {
			server.sql("create database " + name).update();
			JdbcClient.create(postgres.getDatabase("postgres", name)).sql("""
					create table operator_credentials (
					    name        text primary key,
					    secret_hash bytea       not null,
					    created_at  timestamptz not null
					)""").update();
		}
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		postgres.close();
	}

	@Test
	void aFolderUsedWithTwoDatabasesKeepsEachOnesToken() throws Exception {
		AdminTokens first = start("first");
		assertThat(first.origin()).isEqualTo(AdminTokens.Origin.GENERATED_NOW);
		String firstToken = first.generatedToken();
		Path defaultFile = this.data.resolve("admin-token").toAbsolutePath().normalize();
		assertThat(first.tokenFile()).isEqualTo(defaultFile);
		assertThat(Files.readString(defaultFile).strip()).isEqualTo(firstToken);

		// The same folder against another database: its own token, in its own file.
		AdminTokens second = start("second");
		assertThat(second.origin()).isEqualTo(AdminTokens.Origin.GENERATED_NOW);
		String secondToken = second.generatedToken();
		assertThat(secondToken).isNotEqualTo(firstToken);
		assertThat(Files.readString(defaultFile).strip()).as("not overwritten").isEqualTo(firstToken);
		assertThat(second.tokenFile()).isNotEqualTo(defaultFile).hasParent(defaultFile.getParent());
		assertThat(Files.readString(second.tokenFile()).strip()).isEqualTo(secondToken);
		assertThat(second.otherDatabasesFile()).isEqualTo(defaultFile);

		// Started again, each finds the file holding its token, and accepts only that.
		AdminTokens firstAgain = start("first");
		assertThat(firstAgain.origin()).isEqualTo(AdminTokens.Origin.GENERATED_EARLIER);
		assertThat(firstAgain.tokenFile()).isEqualTo(defaultFile);
		assertThat(firstAgain.matches(firstToken)).isTrue();
		assertThat(firstAgain.matches(secondToken)).isFalse();
		AdminTokens secondAgain = start("second");
		assertThat(secondAgain.origin()).isEqualTo(AdminTokens.Origin.GENERATED_EARLIER);
		assertThat(secondAgain.tokenFile()).isEqualTo(second.tokenFile());
		assertThat(secondAgain.matches(secondToken)).isTrue();

		// A database whose token this folder does not hold says so, rather than pointing
		// at a file with another database's token.
		JdbcClient.create(postgres.getDatabase("postgres", "third"))
			.sql("insert into operator_credentials values ('admin_token', sha256('a token from elsewhere'), now())")
			.update();
		AdminTokens third = start("third");
		assertThat(third.origin()).isEqualTo(AdminTokens.Origin.GENERATED_ELSEWHERE);
		assertThat(third.otherDatabasesFile()).isEqualTo(defaultFile);
	}

	private AdminTokens start(String database) {
		AdminTokens tokens = new AdminTokens(new AdminProperties(null), new DataProperties(this.data),
				JdbcClient.create(postgres.getDatabase("postgres", database)), Clock.systemUTC());
		tokens.afterSingletonsInstantiated();
		return tokens;
	}

}
