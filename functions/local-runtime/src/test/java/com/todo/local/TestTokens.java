package com.todo.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/** HS256 bearer tokens for the local-mode tests, valid for ten minutes. */
final class TestTokens {

    private TestTokens() {
    }

    /** A user's token, with the roles claim when roles are given (e.g. todo-admin). */
    static String sign(String user, String secret, String... roles) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user)
                    .expirationTime(Date.from(Instant.now().plusSeconds(600)));
            if (roles.length > 0) {
                claims.claim("roles", List.of(roles));
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
