package dev.kinesisaggs.app.dashboard;

/** Where the page's charting library is. */
public final class ChartJs {

    /**
     * chart.js's UMD build inside a node_modules directory (chart.js 4.6.1, pinned in local-aws's
     * lockfile): a composition root passes {@code localAws.nodeModules().resolve(IN_NODE_MODULES)}.
     */
    public static final String IN_NODE_MODULES = "chart.js/dist/chart.umd.js";

    private ChartJs() {
    }
}
