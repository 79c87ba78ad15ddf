namespace MiniPaas.Benchmarks.Suites;

/// <summary>Runs the suites of issue 8 that <see cref="BenchOptions.Suites"/> selects, each into <see cref="Findings"/>.</summary>
public static class SuiteRunner
{
    public static async Task RunAsync(MiniPaasHost host, MiniPaasPath miniPaas, BenchOptions options, Findings findings, Action<string> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(miniPaas);
        ArgumentNullException.ThrowIfNull(findings);
        var suites = new (string Name, Func<Task> Run)[]
        {
            ("proxy", () => new ProxySuite(host, miniPaas, options, findings, log).RunAsync(ct)),
            ("redeploy", () => new RedeploySuite(host, miniPaas, options, findings, log).RunAsync(ct)),
            ("dashboard", () => new DashboardSuite(host, miniPaas, options, findings, log).RunAsync(ct)),
            ("startup", () => new StartupSuite(options, findings, log).RunAsync(ct)),
        };
        foreach (var (name, run) in suites.Where(s => options.Runs(s.Name)))
        {
            log($"Suite {name}");
            try
            {
                await run();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One suite failing (e.g. a missing tool on this machine) must not cost the others' results.
                log($"  suite {name} failed: {ex}");
                findings.Target($"Suite {name}", "runs", "failed", false, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
            }
            finally
            {
                await miniPaas.CleanupAsync(CancellationToken.None);
            }
        }
    }
}
