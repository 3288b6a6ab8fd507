package dev.agentchat.adapter.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A tool's input schema, compiled once when its server lists the tool, which arguments are checked against before
 * the server sees them. Each tool keeps its own: the SDK's shared validator caches compiled schemas by
 * {@code Map.hashCode()}, under which two different schemas can share a key, and then one tool's arguments would be
 * checked against another's schema. A schema that names no dialect is read as JSON Schema 2020-12, as MCP says.
 */
final class InputSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());

    private final Schema schema;

    private InputSchema(Schema schema) {
        this.schema = schema;
    }

    /** Compiles {@code schema}; none at all means an object of any members. */
    static InputSchema compile(Map<String, Object> schema) {
        try {
            Schema compiled = SCHEMAS.getSchema(JSON.valueToTree(schema == null ? Map.of("type", "object") : schema));
            compiled.initializeValidators(); // the library compiles lazily, on the first check; a bad schema fails here
            return new InputSchema(compiled);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /** How {@code arguments} break the schema; empty when they fit it. */
    Optional<String> violations(Map<String, Object> arguments) {
        List<Error> errors = schema.validate(JSON.valueToTree(arguments));
        return errors.isEmpty()
                ? Optional.empty()
                : Optional.of(errors.stream().map(Error::toString).collect(Collectors.joining("; ")));
    }
}
