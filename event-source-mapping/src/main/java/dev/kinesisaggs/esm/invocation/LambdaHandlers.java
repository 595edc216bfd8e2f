package dev.kinesisaggs.esm.invocation;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Adapts Java handlers to a {@link LambdaFunction} the way the Lambda Java runtime does: the
 * event JSON is read with {@code aws-lambda-java-serialization}'s event serializers (which
 * know that the key is {@code Records} and {@code eventSourceARN}, that {@code data} is base64
 * and the arrival time is epoch seconds), and the response is written back to JSON with the
 * runtime's Jackson factory (or the event serializer, for the event types it knows).
 */
public final class LambdaHandlers {

    /** Building a serializer sets up a whole object mapper with its mix-ins: do it once per type. */
    private static final java.util.Map<Class<?>, PojoSerializer<?>> SERIALIZERS = new java.util.concurrent.ConcurrentHashMap<>();

    private LambdaHandlers() {
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return (PojoSerializer<T>) SERIALIZERS.computeIfAbsent(type, t -> LambdaEventSerializers.isLambdaSupportedEvent(t.getName())
                ? LambdaEventSerializers.serializerFor(t, LambdaHandlers.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(t));
    }

    /** A handler of plain Kinesis events; its response may be a {@code StreamsEventResponse}, anything else, or Void. */
    public static LambdaFunction kinesis(RequestHandler<KinesisEvent, ?> handler) {
        return typed(KinesisEvent.class, handler);
    }

    /** A tumbling-window handler; its response is normally a {@code TimeWindowEventResponse}. */
    public static LambdaFunction timeWindow(RequestHandler<KinesisTimeWindowEvent, ?> handler) {
        return typed(KinesisTimeWindowEvent.class, handler);
    }

    /**
     * Any handler object, adapted by its declared event type, as the Lambda Java runtime does it
     * (the runtime too reads the type argument of {@code RequestHandler} from the class): a
     * {@code RequestStreamHandler}, or a {@code RequestHandler} of {@code KinesisEvent} or of
     * {@code KinesisTimeWindowEvent}.
     */
    @SuppressWarnings("unchecked")
    public static LambdaFunction forHandler(Object handler) {
        if (handler instanceof RequestStreamHandler streamHandler) {
            return stream(streamHandler);
        }
        if (handler instanceof RequestHandler<?, ?> requestHandler) {
            Class<?> eventType = eventTypeOf(handler.getClass());
            if (eventType == KinesisTimeWindowEvent.class) {
                return timeWindow((RequestHandler<KinesisTimeWindowEvent, ?>) requestHandler);
            }
            if (eventType == KinesisEvent.class) {
                return kinesis((RequestHandler<KinesisEvent, ?>) requestHandler);
            }
            throw new IllegalArgumentException(handler.getClass().getName()
                    + " must implement RequestHandler<KinesisEvent, ...> or RequestHandler<KinesisTimeWindowEvent, ...> with the type written out, not "
                    + (eventType == null ? "an unresolved type" : eventType.getSimpleName()) + ".");
        }
        throw new IllegalArgumentException(handler.getClass().getName() + " is not a Lambda handler: implement RequestHandler or RequestStreamHandler.");
    }

    /** Instantiates a handler class by name with its no-argument constructor, as the Lambda runtime does, and adapts it. */
    public static LambdaFunction forHandlerClass(String className) {
        try {
            Object handler = Class.forName(className).getDeclaredConstructor().newInstance();
            return forHandler(handler);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("No handler class " + className + " on the class path: check the name and the class path.", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot create " + className + ": give it a public no-argument constructor.", e);
        }
    }

    private static Class<?> eventTypeOf(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Type t : c.getGenericInterfaces()) {
                if (t instanceof java.lang.reflect.ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0] instanceof Class<?> event ? event : null;
                }
            }
        }
        return null;
    }

    /** A handler that reads and writes the JSON itself. */
    public static LambdaFunction stream(RequestStreamHandler handler) {
        return (eventJson, context) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, context);
            return out.toString(StandardCharsets.UTF_8);
        };
    }

    private static <I> LambdaFunction typed(Class<I> eventType, RequestHandler<I, ?> handler) {
        PojoSerializer<I> in = serializer(eventType);
        return (eventJson, context) -> {
            I event = in.fromJson(eventJson);
            Object response = handler.handleRequest(event, context);
            return toJson(response);
        };
    }

    @SuppressWarnings("unchecked")
    static String toJson(Object response) {
        if (response == null) {
            return null;
        }
        Class<Object> type = (Class<Object>) response.getClass();
        return write(serializer(type), response);
    }

    private static String write(PojoSerializer<Object> serializer, Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        serializer.toJson(value, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
