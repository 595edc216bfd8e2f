package dev.kinesisaggs.function.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The CloudFormation resource types, their properties, property types and attributes, as the npm
 * package {@code @aws-cdk/aws-service-spec} publishes them ({@code db.json.gz}, built by the AWS
 * CDK from the CloudFormation registry's resource schemas).
 *
 * <p>Only the resource and type-definition entities are read; the file's metrics, events and
 * relations are skipped as they stream past.
 */
final class ResourceSpecification {

    /** The package's path under {@code node_modules}, and the file in it. */
    static final String PACKAGE = "@aws-cdk/aws-service-spec";
    static final String DATABASE = "db.json.gz";

    /** A resource type: its properties and the attribute names {@code Fn::GetAtt} may ask for. */
    record ResourceType(String name, Map<String, Property> properties, Set<String> attributes) {
    }

    /** A named property type (a structure inside a resource's properties). */
    record TypeDefinition(String name, Map<String, Property> properties) {
    }

    record Property(ValueType type, boolean required) {
    }

    /** The shape a property's value must have. */
    sealed interface ValueType {
        /** string, integer, number, boolean or date-time; with the allowed values when the schema lists them. */
        record Primitive(String name, List<String> allowedValues) implements ValueType {
        }

        /** Free-form JSON (a policy document, for one). */
        record Json() implements ValueType {
        }

        /** A {@code {Key, Value}} tag. */
        record Tag() implements ValueType {
        }

        /** A structure described by a {@link TypeDefinition}. */
        record Reference(String typeId) implements ValueType {
        }

        record ListOf(ValueType element) implements ValueType {
        }

        record MapOf(ValueType element) implements ValueType {
        }

        /** Any one of these. */
        record OneOf(List<ValueType> types) implements ValueType {
        }
    }

    private final Map<String, ResourceType> resources;
    private final Map<String, TypeDefinition> typeDefinitions;

    private ResourceSpecification(Map<String, ResourceType> resources, Map<String, TypeDefinition> typeDefinitions) {
        this.resources = resources;
        this.typeDefinitions = typeDefinitions;
    }

    /** Reads the specification from an installed {@code node_modules} directory. */
    static ResourceSpecification read(Path nodeModules) throws IOException {
        Path database = nodeModules.resolve(PACKAGE).resolve(DATABASE);
        if (!Files.isRegularFile(database)) {
            throw new IllegalStateException("The CloudFormation resource specification (" + PACKAGE + "/" + DATABASE
                    + ") is not in " + nodeModules + ", so the local-aws jar on the classpath has an older lockfile: build local-aws"
                    + " in the same reactor (add -am), whose lockfile pins it.");
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(database), 1 << 16)) {
            return parse(in);
        }
    }

    static ResourceSpecification parse(InputStream json) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, ResourceType> resources = new HashMap<>();
        Map<String, TypeDefinition> typeDefinitions = new HashMap<>();
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!field.equals("schema")) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String collection = parser.currentName();
                    parser.nextToken();
                    switch (collection) {
                        case "resource" -> readEntities(parser, mapper, entity -> {
                            ResourceType type = resourceType(entity);
                            resources.put(type.name(), type);
                        });
                        case "typeDefinition" -> readEntities(parser, mapper, entity ->
                                typeDefinitions.put(entity.path("$id").asText(),
                                        new TypeDefinition(entity.path("name").asText(), properties(entity.path("properties")))));
                        default -> parser.skipChildren();
                    }
                }
            }
        }
        if (resources.isEmpty() || typeDefinitions.isEmpty()) {
            throw new IllegalStateException("The resource specification has no resources or no type definitions: its format changed, update "
                    + ResourceSpecification.class.getSimpleName() + ".");
        }
        return new ResourceSpecification(Map.copyOf(resources), Map.copyOf(typeDefinitions));
    }

    Optional<ResourceType> resource(String cloudFormationType) {
        return Optional.ofNullable(resources.get(cloudFormationType));
    }

    TypeDefinition typeDefinition(String typeId) {
        TypeDefinition definition = typeDefinitions.get(typeId);
        if (definition == null) {
            throw new IllegalStateException("The resource specification refers to type " + typeId + ", which it does not define.");
        }
        return definition;
    }

    /** {@code {"type": "entities", "entities": [...]}}, one entity at a time. */
    private static void readEntities(JsonParser parser, ObjectMapper mapper, Consumer<JsonNode> handler) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("entities") && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    handler.accept(mapper.readTree(parser));
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static ResourceType resourceType(JsonNode entity) {
        SortedSet<String> attributes = new TreeSet<>();
        entity.path("attributes").fieldNames().forEachRemaining(attributes::add);
        return new ResourceType(entity.path("cloudFormationType").asText(), properties(entity.path("properties")),
                Collections.unmodifiableSortedSet(attributes));
    }

    private static Map<String, Property> properties(JsonNode properties) {
        Map<String, Property> out = new LinkedHashMap<>();
        properties.fields().forEachRemaining(e ->
                out.put(e.getKey(), new Property(valueType(e.getValue().path("type")), e.getValue().path("required").asBoolean(false))));
        return out;
    }

    private static ValueType valueType(JsonNode type) {
        String kind = type.path("type").asText();
        return switch (kind) {
            case "string", "integer", "number", "boolean", "date-time" -> {
                List<String> allowed = new ArrayList<>();
                type.path("allowedValues").forEach(v -> allowed.add(v.asText()));
                yield new ValueType.Primitive(kind, List.copyOf(allowed));
            }
            case "json" -> new ValueType.Json();
            case "tag" -> new ValueType.Tag();
            case "ref" -> new ValueType.Reference(type.path("reference").path("$ref").asText());
            case "array" -> new ValueType.ListOf(valueType(type.path("element")));
            case "map" -> new ValueType.MapOf(valueType(type.path("element")));
            case "union" -> {
                List<ValueType> types = new ArrayList<>();
                type.path("types").forEach(t -> types.add(valueType(t)));
                yield new ValueType.OneOf(List.copyOf(types));
            }
            default -> throw new IllegalStateException("The resource specification has a property type '" + kind
                    + "' that " + ResourceSpecification.class.getSimpleName() + " does not know: teach it.");
        };
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("The resource specification is not in the expected format (" + expected + " expected, "
                    + actual + " found): update " + ResourceSpecification.class.getSimpleName() + ".");
        }
    }
}
