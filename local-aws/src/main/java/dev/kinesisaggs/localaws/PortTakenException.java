package dev.kinesisaggs.localaws;

/**
 * An emulator's port was already in use. Its message names the port and what to do; a command that chooses the ports
 * with options of its own catches it to name them ({@link #port()}, {@link #emulator()}).
 */
public final class PortTakenException extends LocalAwsException {
    private static final long serialVersionUID = 1L;

    private final int port;
    private final String emulator;

    PortTakenException(int port, String emulator) {
        super(message(port, emulator, "choose another port"));
        this.port = port;
        this.emulator = emulator;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }

    /** The API of the emulator that wanted it, as AWS spells it ("Kinesis", "DynamoDB"). */
    public String emulator() {
        return emulator;
    }

    /** The same sentence, ending with {@code another}: how to choose another port, which the calling command knows best. */
    public String withAnotherPort(String another) {
        return message(port, emulator, another);
    }

    private static String message(int port, String emulator, String another) {
        return "Port " + port + " for the " + emulator + " emulator is already in use on " + LocalAws.LOOPBACK_HOST
                + ": stop the program listening there (`ss -ltnp 'sport = :" + port + "'` or `lsof -i :" + port + "` shows it) or "
                + another + ".";
    }
}
