package io.tasker.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tasker.TaskerException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's credentials into a {@link Principal}: {@code X-API-Key: KEY} or {@code
 * Authorization: Bearer JWT} (HS256 or RS256, permissions in the {@code permissions} claim or a
 * space-separated {@code scope}). Every refusal is a 401 that says why without echoing the secret.
 */
final class Authenticator {
  private final AuthConfig config;
  private final JWSVerifier hs256;
  private final JWSVerifier rs256;

  Authenticator(AuthConfig config) {
    this.config = config;
    try {
      this.hs256 =
          config.hs256Secret().isEmpty()
              ? null
              : new MACVerifier(config.hs256Secret().get().getBytes(StandardCharsets.UTF_8));
      this.rs256 =
          config.rs256PublicKeyPem().isEmpty()
              ? null
              : new RSASSAVerifier(rsaKey(config.rs256PublicKeyPem().get()));
    } catch (JOSEException e) {
      throw new TaskerException("invalid_config", "unusable JWT key: " + e.getMessage(), e);
    }
  }

  /**
   * An RSA public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo).
   */
  static RSAPublicKey rsaKey(String pem) {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    try {
      var spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
      throw new TaskerException(
          "invalid_config",
          "TASKER_JWT_RS256_PUBLIC_KEY is not a PEM RSA public key (-----BEGIN PUBLIC KEY-----): "
              + e.getMessage());
    }
  }

  /**
   * The principal of a request with these headers; authentication off: {@link Principal#ANONYMOUS}.
   */
  Principal authenticate(String apiKey, String authorization) {
    if (!config.enabled()) {
      return Principal.ANONYMOUS;
    }
    if (apiKey != null) {
      return byApiKey(apiKey);
    }
    if (authorization == null) {
      throw unauthorized("credentials required: send X-API-Key or Authorization: Bearer <JWT>");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("the Authorization header must be 'Bearer <JWT>'");
    }
    return byToken(authorization.substring(7).strip());
  }

  private Principal byApiKey(String key) {
    byte[] given = key.getBytes(StandardCharsets.UTF_8);
    for (Map.Entry<String, Set<String>> e : config.apiKeys().entrySet()) {
      // constant time, so response timing tells nothing about the keys
      if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
        return new Principal("api-key:" + fingerprint(e.getKey()), e.getValue());
      }
    }
    throw unauthorized("unknown API key");
  }

  /** A short, non-reversible name for a key (logs and audit notes never hold the key). */
  static String fingerprint(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Principal byToken(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw unauthorized("the bearer token is not a signed JWT");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    JWSVerifier verifier =
        JWSAlgorithm.HS256.equals(alg) ? hs256 : JWSAlgorithm.RS256.equals(alg) ? rs256 : null;
    if (verifier == null) {
      throw unauthorized("tokens signed with " + alg + " are not accepted here");
    }
    JWTClaimsSet claims;
    try {
      if (!jwt.verify(verifier)) {
        throw unauthorized("the token's signature does not verify");
      }
      claims = jwt.getJWTClaimsSet();
    } catch (JOSEException | ParseException e) {
      throw unauthorized("the token cannot be verified: " + e.getMessage());
    }
    Date now = new Date();
    if (claims.getExpirationTime() != null && !now.before(claims.getExpirationTime())) {
      throw unauthorized("the token expired at " + claims.getExpirationTime().toInstant());
    }
    if (claims.getNotBeforeTime() != null && now.before(claims.getNotBeforeTime())) {
      throw unauthorized("the token is not valid before " + claims.getNotBeforeTime().toInstant());
    }
    if (config.issuer().isPresent() && !config.issuer().get().equals(claims.getIssuer())) {
      throw unauthorized("the token's issuer is not " + config.issuer().get());
    }
    if (config.audience().isPresent()
        && (claims.getAudience() == null
            || !claims.getAudience().contains(config.audience().get()))) {
      throw unauthorized("the token is not meant for audience " + config.audience().get());
    }
    String subject = claims.getSubject() == null ? "token" : claims.getSubject();
    return new Principal(subject, permissions(claims));
  }

  private static Set<String> permissions(JWTClaimsSet claims) {
    Set<String> out = new LinkedHashSet<>();
    Object p = claims.getClaim("permissions");
    if (p instanceof Collection<?> c) {
      c.forEach(x -> out.add(String.valueOf(x)));
    } else if (p instanceof String s) {
      out.addAll(List.of(s.split("[\\s,]+")));
    }
    Object scope = claims.getClaim("scope");
    if (scope instanceof String s) {
      out.addAll(List.of(s.split("\\s+")));
    }
    out.remove("");
    return out;
  }

  private static HttpProblem unauthorized(String why) {
    return new HttpProblem(401, "unauthorized", why);
  }
}
