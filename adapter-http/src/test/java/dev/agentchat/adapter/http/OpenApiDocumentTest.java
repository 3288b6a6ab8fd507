package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document served at /openapi, read as a strict YAML reader would and validated against
 * the OpenAPI 3.0 JSON Schema (a copy in the test resources, so no network is needed). A comma
 * inside a flow mapping ({@code {description: The run, if any.}}) silently makes a key of the words
 * after it; such a key has no value, which is what this looks for.
 */
class OpenApiDocumentTest {
    private static final String DOCUMENT = "META-INF/openapi.yaml";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void the_document_is_strict_yaml_with_no_duplicate_keys_and_no_key_without_a_value() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new SafeConstructor(options)).load(text(DOCUMENT));

        List<String> problems = new ArrayList<>();
        walk(document, "", problems);

        assertThat(problems).as("keys with no value, or that are not text").isEmpty();
    }

    @Test
    void the_document_is_a_valid_openapi_3_0_document() {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(text("openapi/oas-3.0-schema.json"), InputFormat.JSON);

        List<Error> errors = schema.validate(text(DOCUMENT), InputFormat.YAML);

        assertThat(errors).extracting(Error::toString).as("OpenAPI 3.0 schema errors").isEmpty();
    }

    @Test
    void every_operation_documents_the_refusals_any_request_can_get() {
        Map<String, Object> paths = map(map(new Yaml().load(text(DOCUMENT))).get("paths"));

        List<String> missing = new ArrayList<>();
        paths.forEach((path, item) -> map(item).forEach((method, operation) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            Map<String, Object> responses = map(map(operation).get("responses"));
            List<String> expected = new ArrayList<>(List.of("400", "414", "431", "501"));
            if (map(operation).containsKey("requestBody")) {
                expected.addAll(List.of("413", "415"));
            }
            for (String status : expected) {
                if (!responses.containsKey(status)) {
                    missing.add(method.toUpperCase() + " " + path + " " + status);
                }
            }
        }));

        assertThat(missing).isEmpty();
    }

    @Test
    void the_problem_schema_names_the_members_problems_carry_beyond_rfc_9457() {
        Map<String, Object> components = map(map(new Yaml().load(text(DOCUMENT))).get("components"));
        Map<String, Object> problem = map(map(map(components.get("schemas")).get("Problem")).get("properties"));

        assertThat(problem).containsKeys("type", "title", "status", "detail", "code", "run_status", "active_run_id",
                "last_event_id", "current_version");
    }

    private static void walk(Object node, String path, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String at = path + "/" + key;
                if (!(key instanceof String)) {
                    problems.add(at + " (a key that is not text)");
                }
                if (value == null) {
                    problems.add(at + " (no value)");
                }
                walk(value, at, problems);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "/" + i, problems);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    private static String text(String resource) {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
