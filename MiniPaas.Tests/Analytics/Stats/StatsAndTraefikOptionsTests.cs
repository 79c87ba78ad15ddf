using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Ingress.Traefik;

namespace MiniPaas.Tests.Analytics.Stats;

public sealed class StatsAndTraefikOptionsTests
{
    [Fact]
    public void ContainerStatsValidator_Defaults_Succeed() =>
        Assert.True(new ContainerStatsOptionsValidator().Validate(null, new ContainerStatsOptions()).Succeeded);

    [Fact]
    public void ContainerStatsValidator_BadValues_ReportsEveryProblem()
    {
        var result = new ContainerStatsOptionsValidator().Validate(null, new ContainerStatsOptions
        {
            Interval = TimeSpan.FromMilliseconds(100),
            Retention = TimeSpan.FromMilliseconds(10),
            RetentionCheckInterval = TimeSpan.Zero,
        });

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void TraefikValidator_Defaults_Succeed() =>
        Assert.True(new TraefikOptionsValidator().Validate(null, new TraefikOptions()).Succeeded);

    [Fact]
    public void TraefikValidator_BadValues_ReportsEveryProblem()
    {
        var result = new TraefikOptionsValidator().Validate(null, new TraefikOptions
        {
            EntryPoint = "web,admin",
            Network = "net work",
            AccessLogPath = "logs/access.json",
            AccessLogPollInterval = TimeSpan.Zero,
        });

        Assert.Equal(4, result.Failures!.Count());
    }
}
