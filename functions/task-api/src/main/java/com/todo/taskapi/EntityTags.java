package com.todo.taskapi;

import com.todo.domain.VersionPrecondition;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's entity tag is its version ({@code "7"}): it changes exactly when the task does. {@code If-Match} uses
 * the strong comparison (a weak tag never matches), {@code If-None-Match} the weak one (RFC 9110 §13.1).
 */
final class EntityTags {

    /** One entity-tag of a list, with the separator before the next: {@code W/"7", "8"}. */
    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7e]*)\"\\s*(,|$)");

    private record Tag(boolean weak, String opaque) {
    }

    private EntityTags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /** What {@code If-Match} asks of the version; without the header, nothing. */
    static VersionPrecondition ifMatch(HttpRequest<?> request) {
        List<String> values = request.getHeaders().getAll(HttpHeaders.IF_MATCH);
        if (values.isEmpty()) {
            return VersionPrecondition.ANY;
        }
        List<Tag> tags = parse(HttpHeaders.IF_MATCH, values);
        if (tags == null) {
            return VersionPrecondition.ANY; // "*": any current task
        }
        return version -> tags.stream().anyMatch(t -> !t.weak() && t.opaque().equals(Long.toString(version)));
    }

    /** True if {@code If-None-Match} names the task's current version (or is "*"): the client's copy is current. */
    static boolean noneMatchFails(HttpRequest<?> request, long version) {
        List<String> values = request.getHeaders().getAll(HttpHeaders.IF_NONE_MATCH);
        if (values.isEmpty()) {
            return false;
        }
        List<Tag> tags = parse(HttpHeaders.IF_NONE_MATCH, values);
        return tags == null || tags.stream().anyMatch(t -> t.opaque().equals(Long.toString(version)));
    }

    /** @return the tags, or null for "*"; a value that is neither is a 400 */
    private static List<Tag> parse(String header, List<String> values) {
        if (values.size() == 1 && values.get(0).trim().equals("*")) {
            return null;
        }
        List<Tag> tags = new ArrayList<>();
        for (String value : values) {
            Matcher m = TAG.matcher(value);
            int at = 0;
            while (at < value.length() && m.find(at) && m.start() == at) {
                tags.add(new Tag(m.group(1) != null, m.group(2)));
                at = m.end();
                if (m.group(3).isEmpty()) {
                    break;
                }
            }
            if (at != value.length() || value.isBlank()) {
                throw new BadRequestException(header + " must be \"*\" or a list of entity tags such as \"3\" "
                        + "(a task's ETag)");
            }
        }
        return tags;
    }
}
