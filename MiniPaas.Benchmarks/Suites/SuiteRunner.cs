namespace MiniPaas.Benchmarks.Suites;

/// <summary>Runs the suites of issue 8 that <see cref="BenchOptions.Suites"/> selects, each into <see cref="Findings"/>.</summary>
public static class SuiteRunner
{
    public static async Task RunAsync(MiniPaasHost host, MiniPaasPath miniPaas, BenchOptions options, Findings findings, Action<string> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(miniPaas);
        if (options.Runs("proxy"))
        {
            await new ProxySuite(host, miniPaas, options, findings, log).RunAsync(ct);
            await miniPaas.CleanupAsync(ct);
        }

        if (options.Runs("redeploy"))
        {
            log("Redeploy under load");
            await new RedeploySuite(host, miniPaas, options, findings, log).RunAsync(ct);
            await miniPaas.CleanupAsync(ct);
        }

        if (options.Runs("dashboard"))
        {
            log("Dashboard tabs");
            await new DashboardSuite(host, miniPaas, findings, log).RunAsync(ct);
        }

        if (options.Runs("startup"))
        {
            log("Start-up and idle memory");
            await new StartupSuite(options, findings, log).RunAsync(ct);
        }
    }
}
