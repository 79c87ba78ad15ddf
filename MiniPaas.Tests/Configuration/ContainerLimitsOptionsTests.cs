using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;

namespace MiniPaas.Tests.Configuration;

public sealed class ContainerLimitsOptionsTests
{
    [Fact]
    public void Validate_DefaultAboveMaximum_ReportsEachLimitByKey()
    {
        var options = new RuntimeOptions
        {
            DefaultLimits = new ContainerLimitsOptions { Cpus = 2, MemoryMiB = 1024, Pids = 600 },
            MaxLimits = new ContainerLimitsOptions { Cpus = 1, MemoryMiB = 512, Pids = 500 },
        };

        var result = new RuntimeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "MiniPaas:Runtime:DefaultLimits:Cpus 2 is above MiniPaas:Runtime:MaxLimits:Cpus 1.",
                "MiniPaas:Runtime:DefaultLimits:MemoryMiB 1024 is above MiniPaas:Runtime:MaxLimits:MemoryMiB 512.",
                "MiniPaas:Runtime:DefaultLimits:Pids 600 is above MiniPaas:Runtime:MaxLimits:Pids 500.",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData(0.0, 512, 256, "DefaultLimits:Cpus 0 must be at least 0.05")]
    [InlineData(double.NaN, 512, 256, "DefaultLimits:Cpus NaN must be at least 0.05")]
    [InlineData(1.0, 8, 256, "DefaultLimits:MemoryMiB 8 must be at least 16")]
    [InlineData(1.0, 512, 0, "DefaultLimits:Pids 0 must be at least 16")]
    public void Validate_DefaultBelowWhatAnAppNeeds_Refused(double cpus, long memory, long pids, string expected)
    {
        var options = new RuntimeOptions { DefaultLimits = new ContainerLimitsOptions { Cpus = cpus, MemoryMiB = memory, Pids = pids } };

        var result = new RuntimeOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void For_ProjectSetsNothing_DefaultsApply()
    {
        var limits = ContainerLimits.For(Options(), null, null);

        Assert.Equal(new ContainerLimits(0.5, 256, 100), limits);
        Assert.Equal("0.5 CPU · 256 MiB · 100 processes", limits.Describe());
    }

    [Fact]
    public void For_ProjectRaisesAndLowers_ItsOwnValuesApply()
    {
        Assert.Equal(new ContainerLimits(1.5, 64, 100), ContainerLimits.For(Options(), 1.5, 64));
    }

    [Fact]
    public void For_ProjectSavedAboveALoweredMaximum_HeldToTheMaximum()
    {
        Assert.Equal(new ContainerLimits(2, 1024, 100), ContainerLimits.For(Options(), 6, 8192));
    }

    [Fact]
    public void For_DefaultPidsAboveMaximum_HeldToTheMaximum()
    {
        var options = Options();
        options.DefaultLimits.Pids = 5000;

        Assert.Equal(200, ContainerLimits.For(options, null, null).Pids);
    }

    private static RuntimeOptions Options() => new()
    {
        DefaultLimits = new ContainerLimitsOptions { Cpus = 0.5, MemoryMiB = 256, Pids = 100 },
        MaxLimits = new ContainerLimitsOptions { Cpus = 2, MemoryMiB = 1024, Pids = 200 },
    };
}
