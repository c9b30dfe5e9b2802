package io.tasker.api;

import static io.tasker.api.RestApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tasker.TaskerException;
import io.tasker.client.ClientException;
import io.tasker.client.ErrorKind;
import io.tasker.client.HttpTaskerClient;
import io.tasker.testing.EngineHarness;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication on: API keys, HS256 and RS256 tokens, permissions; 401 and 403. */
class AuthTest {
  static final String SECRET = "a-very-long-shared-secret-for-hs256-tokens!";
  static final String READER_KEY = "reader-key-1234567890";
  static final String ADMIN_KEY = "admin-key-0987654321";

  static EngineHarness h;
  static ApiServer server;
  static URI url;
  static RSAKey rsa;

  @BeforeAll
  static void start() throws Exception {
    rsa = new RSAKeyGenerator(2048).generate();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.toRSAPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    AuthConfig auth =
        ApiConfig.fromEnvironment(
                Map.of(
                    "TASKER_AUTH_ENABLED",
                    "true",
                    "TASKER_API_KEYS",
                    READER_KEY + "=tasks:read,templates:read;" + ADMIN_KEY + "=*",
                    "TASKER_JWT_HS256_SECRET",
                    SECRET,
                    "TASKER_JWT_RS256_PUBLIC_KEY",
                    pem,
                    "TASKER_JWT_ISSUER",
                    "tests"))
            .auth();
    h = new EngineHarness("rest_auth");
    h.register(RestApiTest.TEMPLATE);
    server =
        ApiServer.start(ApiConfig.defaults().withPort(0).withAuth(auth), h.engine(), h.waker());
    url = server.url();
  }

  @AfterAll
  static void stop() {
    server.close();
    h.close();
  }

  static String hs256(String issuer, Instant expires, String... permissions) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
            claims(issuer, expires, permissions));
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  static String rs256(RSAKey key, String... permissions) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            claims("tests", Instant.now().plusSeconds(60), permissions));
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet claims(String issuer, Instant expires, String... permissions) {
    return new JWTClaimsSet.Builder()
        .subject("alice")
        .issuer(issuer)
        .expirationTime(Date.from(expires))
        .claim("permissions", List.of(permissions))
        .build();
  }

  @Test
  void withoutCredentialsOnlyProbesAnswer() {
    assertThat(Http.get(url, "/health/live").status()).isEqualTo(200);
    assertThat(Http.get(url, "/health/ready").status()).isEqualTo(200);
    assertThat(Http.get(url, "/openapi.json").status()).isEqualTo(200);
    assertThat(problem(Http.get(url, "/v1/tasks"), 401).path("detail").asText())
        .contains("X-API-Key");
    assertThat(problem(Http.get(url, "/metrics"), 401).path("code").asText())
        .isEqualTo("unauthorized");
  }

  @Test
  void apiKeysAndTheirPermissions() {
    assertThat(Http.get(url, "/v1/tasks", "X-API-Key", READER_KEY).status()).isEqualTo(200);
    Http.Answer bad = Http.get(url, "/v1/tasks", "X-API-Key", "guess");
    assertThat(problem(bad, 401).path("detail").asText()).isEqualTo("unknown API key");
    assertThat(bad.body()).doesNotContain("guess");
    Http.Answer forbidden =
        Http.postJson(
            url,
            "/v1/tasks",
            "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"n\":1}}",
            "X-API-Key",
            READER_KEY);
    assertThat(problem(forbidden, 403).path("detail").asText())
        .contains("missing permission tasks:create");
    assertThat(forbidden.body()).doesNotContain(READER_KEY);
    assertThat(
            Http.postJson(
                    url,
                    "/v1/tasks",
                    "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"n\":1}}",
                    "X-API-Key",
                    ADMIN_KEY)
                .status())
        .isEqualTo(201);
    assertThat(Http.get(url, "/metrics", "X-API-Key", ADMIN_KEY).status()).isEqualTo(200);
  }

  @Test
  void hs256Tokens() throws Exception {
    String reader = hs256("tests", Instant.now().plusSeconds(60), "tasks:read");
    assertThat(Http.get(url, "/v1/tasks", "Authorization", "Bearer " + reader).status())
        .isEqualTo(200);
    assertThat(
            problem(Http.get(url, "/v1/templates", "Authorization", "Bearer " + reader), 403)
                .path("detail")
                .asText())
        .contains("templates:read");
    String wildcard = hs256("tests", Instant.now().plusSeconds(60), "templates:*");
    assertThat(Http.get(url, "/v1/templates", "Authorization", "Bearer " + wildcard).status())
        .isEqualTo(200);
    String expired = hs256("tests", Instant.now().minusSeconds(5), "*");
    assertThat(
            problem(Http.get(url, "/v1/tasks", "Authorization", "Bearer " + expired), 401)
                .path("detail")
                .asText())
        .contains("expired");
    String otherIssuer = hs256("someone-else", Instant.now().plusSeconds(60), "*");
    assertThat(
            problem(Http.get(url, "/v1/tasks", "Authorization", "Bearer " + otherIssuer), 401)
                .path("detail")
                .asText())
        .contains("issuer");
    String tampered = reader.substring(0, reader.length() - 4) + "AAAA";
    assertThat(
            problem(Http.get(url, "/v1/tasks", "Authorization", "Bearer " + tampered), 401)
                .path("detail")
                .asText())
        .contains("signature");
    assertThat(
            problem(Http.get(url, "/v1/tasks", "Authorization", "Bearer not.a.jwt"), 401)
                .path("code")
                .asText())
        .isEqualTo("unauthorized");
    assertThat(
            problem(Http.get(url, "/v1/tasks", "Authorization", "Basic abc"), 401)
                .path("detail")
                .asText())
        .contains("Bearer");
  }

  @Test
  void rs256TokensAndTheJavaClient() throws Exception {
    String token = rs256(rsa, "tasks:read", "templates:read");
    var client =
        new HttpTaskerClient(url, Optional.empty(), Optional.of(token), Duration.ofSeconds(10));
    assertThat(client.listTemplates(Optional.empty()).findValuesAsText("name")).contains("double");
    assertThatThrownBy(() -> client.dlqStats())
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
              assertThat(e.getMessage()).contains("dlq:read");
            });
    String foreign = rs256(new RSAKeyGenerator(2048).generate(), "*");
    assertThat(
            problem(Http.get(url, "/v1/tasks", "Authorization", "Bearer " + foreign), 401)
                .path("detail")
                .asText())
        .contains("signature");
    var keyClient =
        new HttpTaskerClient(url, Optional.of("wrong"), Optional.empty(), Duration.ofSeconds(10));
    assertThatThrownBy(() -> keyClient.getTask(java.util.UUID.randomUUID()))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED));
  }

  @Test
  void configurationErrorsAndMaskedSecrets() {
    AuthConfig auth =
        server == null
            ? null
            : ApiConfig.fromEnvironment(
                    Map.of("TASKER_AUTH_ENABLED", "true", "TASKER_JWT_HS256_SECRET", SECRET))
                .auth();
    assertThat(auth.toString()).doesNotContain(SECRET).contains("hs256=****");
    assertThatThrownBy(() -> ApiConfig.fromEnvironment(Map.of("TASKER_AUTH_ENABLED", "true")))
        .isInstanceOf(TaskerException.class)
        .hasMessageContaining("no credential");
    assertThatThrownBy(
            () ->
                ApiConfig.fromEnvironment(
                    Map.of("TASKER_AUTH_ENABLED", "true", "TASKER_JWT_HS256_SECRET", "short")))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(
            () ->
                ApiConfig.fromEnvironment(
                    Map.of(
                        "TASKER_AUTH_ENABLED", "true", "TASKER_API_KEYS", "secret-value-no-perms")))
        .hasMessageContaining("entry 1")
        .hasMessageNotContaining("secret-value");
    assertThatThrownBy(
            () ->
                ApiConfig.fromEnvironment(
                    Map.of("TASKER_AUTH_ENABLED", "true", "TASKER_API_KEYS", "k=tasks")))
        .hasMessageContaining("resource:action");
    assertThat(ApiConfig.fromEnvironment(Map.of()).auth().enabled()).isFalse();
  }
}
