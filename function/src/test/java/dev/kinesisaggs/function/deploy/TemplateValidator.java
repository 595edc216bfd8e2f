package dev.kinesisaggs.function.deploy;

import dev.kinesisaggs.function.deploy.ResourceSpecification.Property;
import dev.kinesisaggs.function.deploy.ResourceSpecification.ResourceType;
import dev.kinesisaggs.function.deploy.ResourceSpecification.TypeDefinition;
import dev.kinesisaggs.function.deploy.ResourceSpecification.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a template, as {@link CloudFormationYaml} reads it, against the resource specification:
 * every resource type exists, every property exists for its type, required properties are present,
 * values have the shape and, where the specification lists them, the values their type allows;
 * {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} and {@code Fn::If} name parameters, resources,
 * attributes and conditions that exist. An intrinsic function stands for a value of any type; a
 * {@code Ref} to a parameter is checked through the parameter's default and allowed values. The
 * SAM function is checked by {@link SamFunction}'s documented lists.
 */
final class TemplateValidator {

    private static final Set<String> TEMPLATE_SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata",
            "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs");
    private static final Set<String> PARAMETER_KEYS = Set.of("Type", "Default", "Description", "AllowedValues", "AllowedPattern",
            "MinValue", "MaxValue", "MinLength", "MaxLength", "NoEcho", "ConstraintDescription");
    private static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "List<Number>", "CommaDelimitedList");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "Condition", "DependsOn", "DeletionPolicy",
            "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy");
    private static final Set<String> DELETION_POLICIES = Set.of("Delete", "Retain", "RetainExceptOnCreate", "Snapshot");
    private static final Set<String> OUTPUT_KEYS = Set.of("Value", "Description", "Export", "Condition");
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    private static final Map<String, Property> TAG = Map.of(
            "Key", new Property(new ValueType.Primitive("string", List.of()), true),
            "Value", new Property(new ValueType.Primitive("string", List.of()), true));
    /** Where any value will do; its intrinsic functions are still checked. */
    private static final ValueType ANY = new ValueType.Json();
    /** {@code ${Name}} or {@code ${Resource.Attribute}} in a Fn::Sub string; {@code ${!Literal}} is not a variable. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    private final ResourceSpecification specification;
    private final Map<String, Object> parameters;
    private final Map<String, Object> conditions;
    /** Logical id to the type whose attributes Fn::GetAtt may name: declared resources and what SAM generates. */
    private final Map<String, String> resourceTypes = new LinkedHashMap<>();
    private List<String> problems = new ArrayList<>();

    private TemplateValidator(ResourceSpecification specification, Map<String, Object> template) {
        this.specification = specification;
        this.parameters = section(template, "Parameters");
        this.conditions = section(template, "Conditions");
        section(template, "Resources").forEach((id, resource) -> {
            if (resource instanceof Map<?, ?> r && r.get("Type") instanceof String type) {
                if (type.equals(SamFunction.TYPE)) {
                    resourceTypes.putAll(SamFunction.generatedResources(id, map(r.get("Properties"))));
                } else {
                    resourceTypes.put(id, type);
                }
            }
        });
    }

    /** The problems found, each one sentence starting with where it is; empty when there are none. */
    static List<String> validate(ResourceSpecification specification, Map<String, Object> template) {
        TemplateValidator validator = new TemplateValidator(specification, template);
        validator.checkTemplate(template);
        return List.copyOf(validator.problems);
    }

    private void checkTemplate(Map<String, Object> template) {
        for (String section : template.keySet()) {
            if (!TEMPLATE_SECTIONS.contains(section)) {
                problem(section, "a template has no section " + section);
            }
        }
        parameters.forEach((name, parameter) -> checkParameter("Parameters." + name, map(parameter)));
        conditions.forEach((name, condition) -> checkValue("Conditions." + name, ANY, condition));
        section(template, "Resources").forEach((id, resource) -> checkResource("Resources." + id, map(resource)));
        section(template, "Outputs").forEach((name, output) -> checkOutput("Outputs." + name, map(output)));
    }

    private void checkParameter(String path, Map<String, Object> parameter) {
        unknownKeys(path, parameter, PARAMETER_KEYS, "a parameter");
        Object type = parameter.get("Type");
        if (!(type instanceof String t) || !(PARAMETER_TYPES.contains(t) || t.startsWith("AWS::") || t.startsWith("List<AWS::"))) {
            problem(path, "the parameter's Type " + type + " is not a CloudFormation parameter type");
            return;
        }
        Object defaultValue = parameter.get("Default");
        if (defaultValue != null && parameter.get("AllowedValues") instanceof List<?> allowed
                && allowed.stream().noneMatch(a -> String.valueOf(a).equals(String.valueOf(defaultValue)))) {
            problem(path, "the default " + defaultValue + " is not one of the AllowedValues " + allowed);
        }
        if (t.equals("Number")) {
            for (Object literal : literals(parameter)) {
                BigDecimal number = number(literal);
                if (number == null) {
                    problem(path, "the Number parameter's value " + literal + " is not a number");
                } else if (parameter.get("MinValue") != null && number.compareTo(number(parameter.get("MinValue"))) < 0
                        || parameter.get("MaxValue") != null && number.compareTo(number(parameter.get("MaxValue"))) > 0) {
                    problem(path, "the value " + literal + " is outside MinValue..MaxValue");
                }
            }
        }
    }

    private void checkResource(String path, Map<String, Object> resource) {
        unknownKeys(path, resource, RESOURCE_KEYS, "a resource");
        if (resource.get("Condition") instanceof String condition) {
            checkConditionName(path + ".Condition", condition);
        }
        Object dependsOn = resource.get("DependsOn");
        for (Object dependency : dependsOn instanceof List<?> l ? l : dependsOn == null ? List.of() : List.of(dependsOn)) {
            if (!resourceTypes.containsKey(String.valueOf(dependency))) {
                problem(path + ".DependsOn", "the template declares no resource " + dependency);
            }
        }
        for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
            if (resource.containsKey(policy) && !DELETION_POLICIES.contains(String.valueOf(resource.get(policy)))) {
                problem(path + "." + policy, resource.get(policy) + " is not one of " + DELETION_POLICIES);
            }
        }
        String type = String.valueOf(resource.get("Type"));
        Map<String, Object> properties = map(resource.getOrDefault("Properties", Map.of()));
        if (type.equals(SamFunction.TYPE)) {
            checkSamFunction(path + ".Properties", properties);
        } else if (specification.resource(type).isEmpty()) {
            problem(path + ".Type", type + " is not a resource type of the CloudFormation resource specification");
        } else {
            ResourceType resourceType = specification.resource(type).orElseThrow();
            checkProperties(path + ".Properties", type, resourceType.properties(), properties);
        }
    }

    private void checkOutput(String path, Map<String, Object> output) {
        unknownKeys(path, output, OUTPUT_KEYS, "an output");
        if (!output.containsKey("Value")) {
            problem(path, "an output needs a Value");
        }
        if (output.get("Condition") instanceof String condition) {
            checkConditionName(path + ".Condition", condition);
        }
        checkValue(path + ".Value", ANY, output.get("Value"));
        checkValue(path + ".Export", ANY, output.get("Export"));
    }

    private void checkSamFunction(String path, Map<String, Object> properties) {
        ResourceType lambda = requiredResourceType(SamFunction.LAMBDA_FUNCTION);
        properties.forEach((name, value) -> {
            if (!SamFunction.PROPERTIES.contains(name)) {
                problem(path + "." + name, SamFunction.TYPE + " has no property " + name + " (AWS SAM Developer Guide)");
            } else if (SamFunction.PASSED_TO_LAMBDA_FUNCTION.contains(name)) {
                checkValue(path + "." + name, lambda.properties().get(name).type(), value);
            } else if (!name.equals("Events")) {
                checkValue(path + "." + name, ANY, value);
            }
        });
        if (properties.keySet().stream().noneMatch(Set.of("CodeUri", "InlineCode", "ImageUri")::contains)) {
            problem(path, "a SAM function needs CodeUri, InlineCode or ImageUri");
        }
        if (!"Image".equals(properties.get("PackageType"))) {
            for (String required : List.of("Handler", "Runtime")) {
                if (!properties.containsKey(required)) {
                    problem(path, "a SAM function packaged as a .zip needs " + required);
                }
            }
        }
        if (properties.get("Events") instanceof Map<?, ?> events) {
            events.forEach((id, event) -> checkSamEvent(path + ".Events." + id, map(event)));
        } else if (properties.containsKey("Events")) {
            problem(path + ".Events", "Events must be a map of event sources");
        }
    }

    private void checkSamEvent(String path, Map<String, Object> event) {
        unknownKeys(path, event, Set.of("Type", "Properties"), "a SAM event source");
        if (!"Kinesis".equals(event.get("Type"))) {
            problem(path + ".Type", "no documented properties of event type " + event.get("Type") + " are written down in "
                    + SamFunction.class.getSimpleName() + ": add them from the AWS SAM Developer Guide");
            return;
        }
        ResourceType mapping = requiredResourceType(SamFunction.EVENT_SOURCE_MAPPING);
        Map<String, Object> properties = map(event.get("Properties"));
        String where = path + ".Properties";
        properties.forEach((name, value) -> {
            String target = SamFunction.KINESIS_EVENT_PROPERTIES.get(name);
            if (target == null) {
                problem(where + "." + name, "a SAM Kinesis event has no property " + name + " (AWS SAM Developer Guide)");
            } else if (name.equals("DestinationConfig")) {
                checkValue(where + "." + name, mapping.properties().get(target).type(), withoutSamOnFailureType(where + "." + name, value));
            } else {
                checkValue(where + "." + name, mapping.properties().get(target).type(), value);
            }
        });
        for (String required : SamFunction.KINESIS_EVENT_REQUIRED) {
            if (!properties.containsKey(required)) {
                problem(where, "a SAM Kinesis event needs " + required);
            }
        }
    }

    /** SAM's OnFailure takes a {@code Type} of its own besides the event source mapping's {@code Destination}. */
    private Object withoutSamOnFailureType(String path, Object destinationConfig) {
        if (destinationConfig instanceof Map<?, ?> config && config.get("OnFailure") instanceof Map<?, ?> onFailure
                && onFailure.containsKey("Type")) {
            Object type = onFailure.get("Type");
            if (!isIntrinsic(type) && !SamFunction.ON_FAILURE_TYPES.contains(String.valueOf(type))) {
                problem(path + ".OnFailure.Type", type + " is not one of " + SamFunction.ON_FAILURE_TYPES);
            }
            Map<Object, Object> destination = new LinkedHashMap<>(onFailure);
            destination.remove("Type");
            Map<Object, Object> copy = new LinkedHashMap<>(config);
            copy.put("OnFailure", destination);
            return copy;
        }
        return destinationConfig;
    }

    private void checkProperties(String path, String owner, Map<String, Property> specified, Object value) {
        if (!(value instanceof Map<?, ?> properties)) {
            problem(path, owner + " expects a structure, not " + describe(value));
            return;
        }
        properties.forEach((name, propertyValue) -> {
            Property property = specified.get(String.valueOf(name));
            if (property == null) {
                problem(path + "." + name, owner + " has no property " + name);
            } else {
                checkValue(path + "." + name, property.type(), propertyValue);
            }
        });
        specified.forEach((name, property) -> {
            if (property.required() && !properties.containsKey(name)) {
                problem(path, owner + " requires the property " + name);
            }
        });
    }

    private void checkValue(String path, ValueType type, Object value) {
        if (isIntrinsic(value)) {
            Map.Entry<?, ?> function = ((Map<?, ?>) value).entrySet().iterator().next();
            checkIntrinsic(path, type, String.valueOf(function.getKey()), function.getValue());
            return;
        }
        if (value == null) {
            if (type != ANY) {
                problem(path, "has no value");
            }
            return;
        }
        if (type instanceof ValueType.Primitive primitive) {
            checkPrimitive(path, primitive, value);
        } else if (type instanceof ValueType.Json) {
            if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> checkValue(path + "." + k, ANY, v));
            } else if (value instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    checkValue(path + "[" + i + "]", ANY, l.get(i));
                }
            }
        } else if (type instanceof ValueType.Tag) {
            checkProperties(path, "a tag", TAG, value);
        } else if (type instanceof ValueType.Reference reference) {
            TypeDefinition definition = specification.typeDefinition(reference.typeId());
            checkProperties(path, definition.name(), definition.properties(), value);
        } else if (type instanceof ValueType.ListOf list) {
            if (value instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    checkValue(path + "[" + i + "]", list.element(), l.get(i));
                }
            } else {
                problem(path, "expects a list, not " + describe(value));
            }
        } else if (type instanceof ValueType.MapOf mapOf) {
            if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> checkValue(path + "." + k, mapOf.element(), v));
            } else {
                problem(path, "expects a map, not " + describe(value));
            }
        } else {
            checkOneOf(path, (ValueType.OneOf) type, value);
        }
    }

    /** Valid when any one type fits; otherwise the problems of the type that fits best. */
    private void checkOneOf(String path, ValueType.OneOf oneOf, Object value) {
        List<String> outer = problems;
        List<String> nearest = null;
        try {
            for (ValueType alternative : oneOf.types()) {
                problems = new ArrayList<>();
                checkValue(path, alternative, value);
                if (problems.isEmpty()) {
                    return;
                }
                if (nearest == null || problems.size() < nearest.size()) {
                    nearest = problems;
                }
            }
        } finally {
            problems = outer;
        }
        problems.addAll(nearest);
    }

    private void checkPrimitive(String path, ValueType.Primitive primitive, Object value) {
        boolean fits = switch (primitive.name()) {
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger
                    || value instanceof String s && INTEGER.matcher(s).matches();
            case "number" -> number(value) != null;
            case "boolean" -> value instanceof Boolean || value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"));
            default -> value instanceof String || value instanceof Number || value instanceof Boolean;
        };
        if (!fits) {
            problem(path, "expects " + primitive.name() + ", not " + describe(value));
        } else if (!primitive.allowedValues().isEmpty() && !primitive.allowedValues().contains(String.valueOf(value))) {
            problem(path, value + " is not one of " + primitive.allowedValues());
        }
    }

    private void checkIntrinsic(String path, ValueType type, String function, Object argument) {
        switch (function) {
            case "Ref" -> checkRef(path, type, String.valueOf(argument));
            case "Fn::GetAtt" -> {
                List<?> parts = argument instanceof List<?> l ? l : List.of(String.valueOf(argument).split("\\.", 2));
                if (parts.size() != 2) {
                    problem(path, "Fn::GetAtt needs a resource and an attribute, not " + argument);
                } else {
                    checkAttribute(path, String.valueOf(parts.get(0)), parts.get(1));
                }
            }
            case "Fn::Sub" -> checkSub(path, argument);
            case "Fn::If" -> {
                if (!(argument instanceof List<?> l) || l.size() != 3) {
                    problem(path, "Fn::If needs a condition and two values");
                    return;
                }
                checkConditionName(path, String.valueOf(l.get(0)));
                for (Object branch : l.subList(1, 3)) {
                    if (!(branch instanceof Map<?, ?> m && "AWS::NoValue".equals(m.get("Ref")))) {
                        checkValue(path, type, branch);
                    }
                }
            }
            case "Condition" -> checkConditionName(path, String.valueOf(argument));
            default -> checkValue(path, ANY, argument);
        }
    }

    private void checkRef(String path, ValueType type, String name) {
        if (parameters.containsKey(name)) {
            checkParameterValues(path, type, name, map(parameters.get(name)));
        } else if (!resourceTypes.containsKey(name) && !PSEUDO_PARAMETERS.contains(name)) {
            problem(path, "Ref names " + name + ", which is no parameter, resource or pseudo parameter of the template");
        }
    }

    /** A Ref to a String or Number parameter stands for its default and its allowed values: each must fit the property. */
    private void checkParameterValues(String path, ValueType type, String name, Map<String, Object> parameter) {
        if (type == ANY || !Set.of("String", "Number").contains(String.valueOf(parameter.get("Type")))) {
            return;
        }
        for (Object literal : literals(parameter)) {
            checkValue(path + " (parameter " + name + ")", type, literal);
        }
    }

    /** The values a parameter can take that the template spells out: its default and its allowed values. */
    private static List<Object> literals(Map<String, Object> parameter) {
        List<Object> literals = new ArrayList<>();
        if (parameter.containsKey("Default")) {
            literals.add(parameter.get("Default"));
        }
        if (parameter.get("AllowedValues") instanceof List<?> allowed) {
            literals.addAll(allowed);
        }
        return literals;
    }

    private void checkAttribute(String path, String resource, Object attribute) {
        String type = resourceTypes.get(resource);
        if (type == null) {
            problem(path, "Fn::GetAtt names " + resource + ", which is no resource of the template");
        } else if (!isIntrinsic(attribute)) {
            specification.resource(type).ifPresent(resourceType -> {
                if (!resourceType.attributes().contains(String.valueOf(attribute))) {
                    problem(path, type + " has no attribute " + attribute + " (it has " + resourceType.attributes() + ")");
                }
            });
        }
    }

    private void checkSub(String path, Object argument) {
        String text;
        Map<String, Object> variables;
        if (argument instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String s) {
            text = s;
            variables = map(l.get(1));
            variables.forEach((k, v) -> checkValue(path + "." + k, ANY, v));
        } else if (argument instanceof String s) {
            text = s;
            variables = Map.of();
        } else {
            problem(path, "Fn::Sub needs a string, or a string and a map of variables");
            return;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        while (matcher.find()) {
            String variable = matcher.group(1).strip();
            int dot = variable.indexOf('.');
            if (variables.containsKey(variable)) {
                continue;
            }
            if (dot > 0 && !variable.startsWith("AWS::")) {
                checkAttribute(path, variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                checkRef(path, ANY, variable);
            }
        }
    }

    private void checkConditionName(String path, String condition) {
        if (!conditions.containsKey(condition)) {
            problem(path, "the template declares no condition " + condition);
        }
    }

    private ResourceType requiredResourceType(String type) {
        return specification.resource(type).orElseThrow(() -> new IllegalStateException(
                "The resource specification has no " + type + ", which the SAM checks need."));
    }

    private void unknownKeys(String path, Map<String, Object> object, Set<String> known, String what) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                problem(path + "." + key, what + " has no key " + key);
            }
        }
    }

    private void problem(String path, String message) {
        problems.add(path + ": " + message + ".");
    }

    private static boolean isIntrinsic(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            String key = String.valueOf(m.keySet().iterator().next());
            return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
        }
        return false;
    }

    private static BigDecimal number(Object value) {
        try {
            return value instanceof Number || value instanceof String ? new BigDecimal(String.valueOf(value).strip()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Object value) {
        return value instanceof Map ? "a map" : value instanceof List ? "a list" : "'" + value + "'";
    }

    private static Map<String, Object> section(Map<String, Object> template, String name) {
        return map(template.getOrDefault(name, Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
