package org.r1wb.model.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The model's answer to one {@link Request}, as the cache stores it.
 *
 * @param nll    log-likelihood kinds: summed negative log-likelihood in nats
 * @param tokens log-likelihood kinds: tokens scored
 * @param text   generation: the output, cut before the first stop string
 * @param check  code tasks: the checker's verdict ({@code PASS}, {@code FAIL}, {@code TIMEOUT}, …), else {@code null}
 */
public record Response(double nll, int tokens, String text, String check) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Response scored(double nll, int tokens) {
        return new Response(nll, tokens, null, null);
    }

    public static Response generated(String text, String check) {
        return new Response(0, 0, text, check);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response did not serialise", e);
        }
    }

    public static Response fromJson(String json) {
        try {
            return JSON.readValue(json, Response.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a cached response is not readable: " + json, e);
        }
    }
}
