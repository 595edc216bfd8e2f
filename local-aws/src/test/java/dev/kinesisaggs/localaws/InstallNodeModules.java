package dev.kinesisaggs.localaws;

/** A program for {@link NodeModulesIT}: installs the emulators and prints the node_modules directory. */
public final class InstallNodeModules {
    private InstallNodeModules() {}

    public static void main(String[] args) {
        System.out.println(NodeModules.install());
    }
}
